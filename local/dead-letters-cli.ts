/**
 * `npm run dead-letters -- list` | `npm run dead-letters -- redrive [id ...]`: the operator's
 * view of the running local stack's dead letters (DEAD_LETTERS_URL, default
 * http://127.0.0.1:$PORT/admin/dead-letters). Redrive shows its progress on stderr and exits 1
 * if any letter failed again.
 */
import { createProgress } from '../src/shell/ops/progress.js';
import type { DeadLetter, RedriveResult } from './dead-letters.js';

const url = process.env['DEAD_LETTERS_URL'] ?? `http://127.0.0.1:${process.env['PORT'] ?? 4000}/admin/dead-letters`;
const TIMEOUT_MS = 30_000;
const [command, ...ids] = process.argv.slice(2);

/** What the letter was about: its record's type and correlation id, whichever shape it has. */
function subject(letter: DeadLetter): string {
  const payload = letter.payload as {
    detail?: Record<string, unknown>;
    dynamodb?: { NewImage?: Record<string, { S?: string }> };
  };
  const field = (name: string): string => {
    const value = payload.detail?.[name] ?? payload.dynamodb?.NewImage?.[name]?.S ?? '?';
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  return `${field('type')} correlationId=${field('correlationId')}`;
}

async function call<T>(init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((error: unknown) => {
    throw new Error(
      `no local stack answers at ${url} (${error instanceof Error ? error.message : String(error)}); start it with npm start or set DEAD_LETTERS_URL`,
    );
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function main(): Promise<number> {
  if (command === 'list') {
    const { deadLetters } = await call<{ deadLetters: DeadLetter[] }>();
    for (const letter of deadLetters)
      console.log(
        `${letter.id}  ${letter.time}  ${letter.handler}  attempts=${letter.attempts}  ${subject(letter)}  error=${JSON.stringify(letter.error)}`,
      );
    console.log(`${deadLetters.length} dead letter(s)`);
    return 0;
  }
  if (command === 'redrive') {
    // One letter per request, so the operator sees how far it got; with no ids, the letters there are now.
    const chosen =
      ids.length > 0 ? ids : (await call<{ deadLetters: DeadLetter[] }>()).deadLetters.map((letter) => letter.id);
    const progress = createProgress('redrive', { total: chosen.length });
    const results: RedriveResult[] = [];
    try {
      for (const id of chosen) {
        const answer = await call<{ results: RedriveResult[] }>({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ids: [id] }),
        });
        results.push(...answer.results);
        progress.tick();
      }
    } finally {
      progress.stop();
    }
    for (const result of results)
      console.log(`${result.id}  ${result.handler}  ${result.redriven ? 'redriven' : `failed again: ${result.error}`}`);
    const failed = results.filter((result) => !result.redriven).length;
    console.log(`${results.length - failed} redriven, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  }
  console.error('usage: npm run dead-letters -- list | redrive [id ...]');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
