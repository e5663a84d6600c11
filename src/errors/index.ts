/**
 * Error classes shared by core and shell, and the base every error class of src/ and local/
 * extends. Each sets `name` and a stable `code`, keeps `cause`, carries context, and the ones a
 * client may see map to a GraphQL `extensions.code` in one place (resolvers/errors.ts).
 */

/**
 * The base of every error the product throws on purpose. `name` is the class's name (spelled
 * out, so minified bundles keep it); `code` is stable and unique per class (UPPER_SNAKE_CASE,
 * what logs, alarms and `resolvers/errors.ts` match on, never the message); `cause` is the
 * error this one wraps, if any. Context lives in each subclass's own read-only fields.
 */
export abstract class VisitplannrError extends Error {
  abstract override readonly name: string;
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
export class ExpectedVersionConflictError extends VisitplannrError {
  override readonly name = 'ExpectedVersionConflictError';
  readonly code = 'EXPECTED_VERSION_CONFLICT';
  constructor(
    readonly streamIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`a record already holds the expected position in ${streamIds.join(', ')}`, options);
  }
}

export class IdempotencyKeyReusedError extends VisitplannrError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly correlationId: string) {
    super('This idempotency key was already used for a different proposal.');
  }
}

export class HandlerFailedError extends VisitplannrError {
  override readonly name = 'HandlerFailedError';
  readonly code = 'HANDLER_FAILED';
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

export class InvalidArgumentError extends VisitplannrError {
  override readonly name = 'InvalidArgumentError';
  readonly code = 'INVALID_ARGUMENT';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

export class MalformedRecordError extends VisitplannrError {
  override readonly name = 'MalformedRecordError';
  readonly code = 'MALFORMED_RECORD';
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed record: ${detail}`, options);
  }
}

/** A conditional write to the site bucket lost to another writer (S3 answered 412). */
export class PublishConflictError extends VisitplannrError {
  override readonly name = 'PublishConflictError';
  readonly code = 'PUBLISH_CONFLICT';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`another write changed ${key} first`, options);
  }
}

export class UnauthenticatedError extends VisitplannrError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'UNAUTHENTICATED';
  constructor(
    /** What the caller can fix; never which check failed inside. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The store refused or failed a call even after the SDK's retries (throttling, a 5xx). Safe to retry.
 * `correlationId`, when a command's write failed: a write whose answer was lost may have been
 * stored, and commandStatus of that id tells.
 */
export class StoreUnavailableError extends VisitplannrError {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'STORE_UNAVAILABLE';
  readonly correlationId: string | undefined;
  constructor(
    readonly operation: string,
    options?: { cause?: unknown; correlationId?: string },
  ) {
    super('The service is busy. Try again; send the same idempotencyKey to be sure it happens once.', options);
    this.correlationId = options?.correlationId;
  }
}

/**
 * Some of the transactions of a batched append failed (after the SDK's retries); the units
 * of the others were written. `outcomes` holds each unit's fate, `failed` for the former.
 */
export class PartialAppendError extends VisitplannrError {
  override readonly name = 'PartialAppendError';
  readonly code = 'PARTIAL_APPEND';
  constructor(
    readonly outcomes: readonly ('appended' | 'conflict' | 'failed')[],
    options: { cause: unknown },
  ) {
    super(`${outcomes.filter((outcome) => outcome === 'failed').length} of ${outcomes.length} appends failed`, options);
  }
}

/** An anonymous visitor (or all of them together) spent the proposal budget of the current window. */
export class RateLimitedError extends VisitplannrError {
  override readonly name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many proposals from here just now. Try again in ${retryAfterSeconds} s.`);
  }
}
