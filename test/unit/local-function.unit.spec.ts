import { describe, expect, it } from 'vitest';
import { localFunction } from '../../local/local-function.js';
import { DeadlineExceededError } from '../../src/shell/runtime/deadline.js';

describe('local Lambda runtime', () => {
  it('fails an invocation that outlives its timeout, as Lambda does', async () => {
    const fn = localFunction('slow', () => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 500)), {
      timeoutMs: 30,
    });
    await expect(fn.invoke({})).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('holds invocations while paused and runs them on resume', async () => {
    const fn = localFunction('echo', (event: { n: number }) => Promise.resolve(event.n * 2));
    fn.pause();
    let answered = false;
    const pending = fn.invoke({ n: 21 }).then((result) => ((answered = true), result));
    // Held: the call is active, its handler has not run, and no answer came.
    expect(fn.active).toBe(1);
    expect(fn.paused).toBe(true);
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(fn.invocations).toBe(0);
    expect(answered).toBe(false);
    fn.resume();
    expect(await pending).toBe(42);
    expect(fn.invocations).toBe(1);
    expect(fn.active).toBe(0);
  });

  it('runs no more than its concurrency at once', async () => {
    let running = 0;
    let peak = 0;
    const fn = localFunction(
      'limited',
      async () => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
      },
      { concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, () => fn.invoke({})));
    expect(peak).toBe(2);
  });
});
