/**
 * Error classes shared by core and shell. Each sets `name`, keeps `cause`, carries
 * context, and maps to a GraphQL `extensions.code` in one place (resolvers/errors.ts).
 */
export class ExpectedVersionConflictError extends Error {
  override readonly name = 'ExpectedVersionConflictError';
  constructor(
    readonly streamIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`a record already holds the expected position in ${streamIds.join(', ')}`, options);
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly correlationId: string) {
    super('This idempotency key was already used for a different proposal.');
  }
}

export class HandlerFailedError extends Error {
  override readonly name = 'HandlerFailedError';
  constructor(
    readonly correlationId: string,
    readonly handler: string,
    /** False once retries are exhausted and the command is recorded as failed. */
    readonly retrying: boolean,
  ) {
    super(
      retrying
        ? `Processing failed in ${handler} and will be retried; ask commandStatus for the outcome.`
        : `Processing failed in ${handler} and will not be retried.`,
    );
  }
}

export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

export class MalformedRecordError extends Error {
  override readonly name = 'MalformedRecordError';
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed record: ${detail}`, options);
  }
}

/** A conditional write to the site bucket lost to another writer (S3 answered 412). */
export class PublishConflictError extends Error {
  override readonly name = 'PublishConflictError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`another write changed ${key} first`, options);
  }
}

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor(
    /** What the caller can fix; never which check failed inside. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The store refused or failed a write even after the SDK's retries (throttling, a 5xx). Safe to retry. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super('The service is busy. Try again; send the same idempotencyKey to be sure it happens once.', options);
  }
}

/**
 * Some of the transactions of a batched append failed (after the SDK's retries); the units
 * of the others were written. `outcomes` holds each unit's fate, `failed` for the former.
 */
export class PartialAppendError extends Error {
  override readonly name = 'PartialAppendError';
  constructor(
    readonly outcomes: readonly ('appended' | 'conflict' | 'failed')[],
    options: { cause: unknown },
  ) {
    super(`${outcomes.filter((outcome) => outcome === 'failed').length} of ${outcomes.length} appends failed`, options);
  }
}

/** An anonymous visitor (or all of them together) spent the proposal budget of the current window. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many proposals from here just now. Try again in ${retryAfterSeconds} s.`);
  }
}
