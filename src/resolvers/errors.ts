/**
 * The one place where errors become GraphQL errors. Known errors get a stable
 * `extensions.code` and their context; anything else is reported without internals.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  HandlerFailedError,
  IdempotencyKeyReusedError,
  InvalidArgumentError,
  StoreUnavailableError,
} from '../errors/index.js';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (original instanceof InvalidArgumentError)
    return { ...base, extensions: { code: 'BAD_USER_INPUT', argument: original.argument } };
  if (original instanceof IdempotencyKeyReusedError)
    return { ...base, extensions: { code: 'IDEMPOTENCY_KEY_REUSED', correlationId: original.correlationId } };
  if (original instanceof StoreUnavailableError)
    return { ...base, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  if (original instanceof HandlerFailedError)
    return {
      ...base,
      extensions: {
        code: 'HANDLER_FAILED',
        correlationId: original.correlationId,
        handler: original.handler,
        retrying: original.retrying,
      },
    };
  const code = formatted.extensions?.['code'];
  // Raised before any resolver (graphql-auth.ts), so it reaches here as Apollo re-made it: its extensions carry the wait.
  if (code === 'RATE_LIMITED')
    return { ...base, extensions: { code, retryAfterSeconds: formatted.extensions?.['retryAfterSeconds'] } };
  // Errors Apollo raised itself (parse, validation, bad variables) are safe to show as they are.
  if (typeof code === 'string' && code !== INTERNAL) return { ...base, extensions: { code } };
  return { ...base, message: 'Internal server error', extensions: { code: INTERNAL } };
}
