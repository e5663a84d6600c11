/**
 * Waiting for a condition instead of for time: the one polling helper of the suite. A test
 * says what it waits for; the timeout is only the point where waiting turns into a failure.
 */
import { inspect } from 'node:util';

export interface EventuallyOptions {
  /** What is awaited, for the failure message. */
  readonly what?: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Resolves with the probe's first answer that is not `undefined`, `null` or `false`; a throwing
 * probe is asked again.
 */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { what = 'the condition', timeoutMs = 15_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const answer = await probe();
      if (answer !== undefined && answer !== null && answer !== false) return answer;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms${lastError ? ` (last error: ${lastError instanceof Error ? String(lastError) : inspect(lastError)})` : ''}`,
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
