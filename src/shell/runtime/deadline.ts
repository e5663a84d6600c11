import { VisitplannrError } from '../../errors/index.js';

export class DeadlineExceededError extends VisitplannrError {
  override readonly name = 'DeadlineExceededError';
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} did not finish within ${timeoutMs} ms`);
  }
}

/**
 * Settles like `promise`, or rejects after `timeoutMs`: with DeadlineExceededError naming
 * `operation`, or with the error `operation` makes at that moment (to say what was left).
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  operation: string | (() => Error),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(typeof operation === 'string' ? new DeadlineExceededError(operation, timeoutMs) : operation()),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
