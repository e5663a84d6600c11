/**
 * The local stack's dead-letter store: what exhausted its retries, kept for an operator
 * to list and redrive (`npm run dead-letters`); on AWS, the SQS dead-letter queues.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeError } from '../src/shell/runtime/logger.js';

export interface DeadLetter {
  readonly id: string;
  /**
   * The function that gave up: a stream handler (payload: a stream record) or a bus handler
   * (payload: an EventBridge event).
   */
  readonly handler: string;
  readonly attempts: number;
  readonly error: string;
  readonly time: string;
  readonly payload: unknown;
}

export interface RedriveResult {
  readonly id: string;
  readonly handler: string;
  readonly redriven: boolean;
  readonly error?: string;
}

export interface DeadLetterStore {
  /** Keeps the letter, with an id and the time it was dead-lettered. */
  add(letter: Omit<DeadLetter, 'id' | 'time'>): void;
  list(): readonly DeadLetter[];
  /**
   * Hands each chosen letter (all when `ids` is omitted) back to its handler, once. A letter
   * whose handler succeeds leaves the store; one that fails again stays, with the new error.
   */
  redrive(deliver: (letter: DeadLetter) => Promise<void>, ids?: readonly string[]): Promise<RedriveResult[]>;
}

/** Kept in memory and, when `file` is given, as JSON lines there (loaded again on start). */
export function createDeadLetterStore(file?: string): DeadLetterStore {
  let letters: DeadLetter[] = [];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file))
      letters = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DeadLetter);
  }
  const rewrite = () => file && writeFileSync(file, letters.map((letter) => `${JSON.stringify(letter)}\n`).join(''));

  return {
    add(fields) {
      const letter = { id: randomUUID(), ...fields, time: new Date().toISOString() };
      letters.push(letter);
      if (file) appendFileSync(file, `${JSON.stringify(letter)}\n`);
    },
    list: () => letters,
    async redrive(deliver, ids) {
      const chosen = ids ? letters.filter((letter) => ids.includes(letter.id)) : [...letters];
      const results: RedriveResult[] = ids
        ? ids
            .filter((id) => !chosen.some((letter) => letter.id === id))
            .map((id) => ({ id, handler: '', redriven: false, error: 'no such dead letter' }))
        : [];
      for (const letter of chosen) {
        try {
          await deliver(letter);
          letters = letters.filter((kept) => kept.id !== letter.id);
          results.push({ id: letter.id, handler: letter.handler, redriven: true });
        } catch (error) {
          const described = describeError(error);
          letters = letters.map((kept) =>
            kept.id === letter.id ? { ...kept, attempts: kept.attempts + 1, error: described } : kept,
          );
          results.push({ id: letter.id, handler: letter.handler, redriven: false, error: described });
        }
      }
      rewrite();
      return results;
    },
  };
}
