/**
 * The SDK's errors. Each sets `name` (stable across bundlers, unlike `constructor.name`)
 * and keeps the underlying `cause`.
 */

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/** The request never produced a GraphQL answer: connection refused, timeout, or a non-GraphQL HTTP response. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    /** The HTTP status, when a response arrived. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered with GraphQL errors; `code` is the first error's `extensions.code`. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  readonly code: string | undefined;
  constructor(
    readonly errors: readonly GraphQLErrorEntry[],
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(errors.map((error) => error.message).join('; ') || 'GraphQL request failed', options);
    this.code = errors[0]?.extensions?.code;
  }
}

/**
 * The command's outcome was still unknown at the caller's deadline; `commandStatus(correlationId)`
 * can follow it up.
 */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(
    readonly correlationId: string,
    readonly deadlineMs: number,
    options?: { cause?: unknown },
  ) {
    super(`the outcome of command ${correlationId} was not known within ${deadlineMs} ms`, options);
  }
}

/** The command ended FAILED (a handler exhausted its retries); `reason` is the server's. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly correlationId: string,
    readonly reason: string | null,
  ) {
    super(`command ${correlationId} failed${reason ? `: ${reason}` : ''}`);
  }
}
