import type { ChildProcess } from 'node:child_process';
import { sleep } from '../src/shell/runtime/deadline.js';

/** SIGTERM, then SIGKILL if the child outlives `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const outcome = await Promise.race([
    exited.then(() => 'exited' as const),
    sleep(graceMs).then(() => 'timeout' as const),
  ]);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Polls `probe` until it succeeds or `timeoutMs` passes. */
export async function waitUntil(probe: () => Promise<unknown>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`, { cause: lastError });
}
