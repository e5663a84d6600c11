import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadLetterStore } from '../../local/dead-letters.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dead-letters-'));
  dirs.push(dir);
  return join(dir, 'letters.jsonl');
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the dead-letter store', () => {
  it('given letters kept in a file, when a new store opens the file, then it holds them again', () => {
    const file = tempFile();
    const store = createDeadLetterStore(file);
    store.add({ handler: 'project', attempts: 3, error: 'boom', payload: { n: 1 } });
    store.add({ handler: 'decide', attempts: 3, error: 'bang', payload: { n: 2 } });
    expect(createDeadLetterStore(file).list()).toEqual(store.list());
    expect(new Set(store.list().map((letter) => letter.id)).size).toBe(2);
  });

  it('given a redrive, then delivered letters leave (also from the file), failing ones stay with the new error and one more attempt', async () => {
    const file = tempFile();
    const store = createDeadLetterStore(file);
    store.add({ handler: 'project', attempts: 3, error: 'boom', payload: { ok: true } });
    store.add({ handler: 'project', attempts: 3, error: 'boom', payload: { ok: false } });
    const results = await store.redrive((letter) =>
      (letter.payload as { ok: boolean }).ok ? Promise.resolve() : Promise.reject(new TypeError('still broken')),
    );
    expect(results.map((result) => result.redriven)).toEqual([true, false]);
    expect(store.list()).toMatchObject([{ attempts: 4, error: 'TypeError: still broken', payload: { ok: false } }]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(createDeadLetterStore(file).list()).toEqual(store.list());
  });

  it('given ids, then only those are redriven, and an unknown id is reported', async () => {
    const store = createDeadLetterStore();
    store.add({ handler: 'a', attempts: 1, error: 'e', payload: 1 });
    store.add({ handler: 'b', attempts: 1, error: 'e', payload: 2 });
    const [first] = store.list();
    const delivered: unknown[] = [];
    const results = await store.redrive(
      (letter) => Promise.resolve(void delivered.push(letter.payload)),
      [first!.id, 'nope'],
    );
    expect(delivered).toEqual([1]);
    expect(results).toEqual([
      { id: 'nope', handler: '', redriven: false, error: 'no such dead letter' },
      { id: first!.id, handler: 'a', redriven: true },
    ]);
    expect(store.list().map((letter) => letter.handler)).toEqual(['b']);
  });
});
