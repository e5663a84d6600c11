/**
 * The local stack's dead-letter store: what exhausted its retries, kept for an
 * operator to inspect (and, on AWS, what the SQS dead-letter queues hold).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DeadLetter {
  readonly handler: string;
  readonly attempts: number;
  readonly error: string;
  readonly time: string;
  readonly payload: unknown;
}

export interface DeadLetterStore {
  /** Keeps the letter, stamped with the time it was dead-lettered. */
  add(letter: Omit<DeadLetter, 'time'>): void;
  list(): readonly DeadLetter[];
}

/** Kept in memory, and appended as JSON lines to `file` when given. */
export function createDeadLetterStore(file?: string): DeadLetterStore {
  const letters: DeadLetter[] = [];
  if (file) mkdirSync(dirname(file), { recursive: true });
  return {
    add(fields) {
      const letter = { ...fields, time: new Date().toISOString() };
      letters.push(letter);
      if (file) appendFileSync(file, `${JSON.stringify(letter)}\n`);
    },
    list: () => letters,
  };
}
