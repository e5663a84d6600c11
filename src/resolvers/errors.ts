/**
 * The one place where errors become GraphQL errors. Known errors get a stable
 * `extensions.code` and their context; anything else is reported without internals.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  type HandlerFailedError,
  type IdempotencyKeyReusedError,
  type InvalidArgumentError,
  type StoreUnavailableError,
  VisitplannrError,
} from '../errors/index.js';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** The errors a client is told about by name; any other error (of ours or not) is internal. */
type ClientError = InvalidArgumentError | IdempotencyKeyReusedError | StoreUnavailableError | HandlerFailedError;

/** What a client sees of each, keyed by the error's own `code` (a class's code is unique, see src/errors). */
function clientExtensions(error: ClientError): Record<string, unknown> {
  switch (error.code) {
    case 'INVALID_ARGUMENT':
      return { code: 'BAD_USER_INPUT', argument: error.argument };
    case 'IDEMPOTENCY_KEY_REUSED':
      return { code: 'IDEMPOTENCY_KEY_REUSED', correlationId: error.correlationId };
    case 'STORE_UNAVAILABLE':
      return {
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        ...(error.correlationId ? { correlationId: error.correlationId } : {}),
      };
    case 'HANDLER_FAILED':
      return {
        code: 'HANDLER_FAILED',
        correlationId: error.correlationId,
        handler: error.handler,
        retrying: error.retrying,
      };
  }
}

/** Each client error's code once (the compiler checks the list is complete and has nothing else). */
const CLIENT_CODES: Readonly<Record<ClientError['code'], true>> = {
  INVALID_ARGUMENT: true,
  IDEMPOTENCY_KEY_REUSED: true,
  STORE_UNAVAILABLE: true,
  HANDLER_FAILED: true,
};

const isClientError = (error: unknown): error is ClientError =>
  error instanceof VisitplannrError && Object.hasOwn(CLIENT_CODES, error.code);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isClientError(original)) return { ...base, extensions: clientExtensions(original) };
  const code = formatted.extensions?.['code'];
  // Raised before any resolver (graphql-auth.ts), so it reaches here as Apollo re-made it: its
  // extensions carry the wait.
  if (code === 'RATE_LIMITED')
    return { ...base, extensions: { code, retryAfterSeconds: formatted.extensions?.['retryAfterSeconds'] } };
  // Errors Apollo raised itself (parse, validation, bad variables) are safe to show as they are.
  if (typeof code === 'string' && code !== INTERNAL) return { ...base, extensions: { code } };
  return { ...base, message: 'Internal server error', extensions: { code: INTERNAL } };
}
