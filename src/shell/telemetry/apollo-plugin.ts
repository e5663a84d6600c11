/**
 * The GraphQL request span, as far as Apollo can tell it. Apollo Server makes no spans of its
 * own, and OpenTelemetry's graphql and http instrumentations patch modules as `require` loads
 * them, which a bundled ESM Lambda never does. So the request span is inRequestSpan's, opened
 * around the whole request by the function (it ends when the answer is returned, and every span
 * the resolvers make is its child: a plugin's hooks cannot make a span active around the
 * resolvers), and this plugin, seeing it as the active span, names it after the operation
 * (`mutation proposeDestination`, as the GraphQL conventions say), adds the operation's
 * attributes and the answer's type, and records server-side errors. With tracing off there is
 * no recording span and it does nothing.
 */
import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ERROR_TYPE } from './spans.js';

export const GRAPHQL = {
  operationType: 'graphql.operation.type',
  operationName: 'graphql.operation.name',
} as const;

/** The `__typename`s of the answer's top-level fields (`DestinationProposed`, `CommandPending`, …). */
export const ANSWER_TYPENAME = 'visitplannr.answer.typename';

/** Codes of errors that are the caller's: the request failed, the server did not. */
const CALLER_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
]);

const codeOf = (error: { readonly extensions?: Record<string, unknown> }): string =>
  typeof error.extensions?.['code'] === 'string' ? error.extensions['code'] : 'INTERNAL_SERVER_ERROR';

export function telemetryPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const span: Span | undefined = trace.getActiveSpan();
      if (!span?.isRecording()) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ operation, operationName }) {
          if (operation) {
            span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
            span.setAttribute(GRAPHQL.operationType, operation.operation);
            if (operationName) span.setAttribute(GRAPHQL.operationName, operationName);
          }
          return Promise.resolve();
        },
        didEncounterErrors({ errors }) {
          const codes = errors.map(codeOf);
          const serverSide = errors.filter((_error, i) => !CALLER_ERROR_CODES.has(codes[i]!));
          for (const error of serverSide) span.recordException(error.originalError ?? error);
          if (serverSide.length > 0) {
            span.setAttribute(ERROR_TYPE, codeOf(serverSide[0]!));
            span.setStatus({ code: SpanStatusCode.ERROR, message: serverSide[0]!.message });
          }
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          if (response.body.kind === 'single') {
            const typenames = Object.values(response.body.singleResult.data ?? {}).flatMap((value) =>
              typeof value === 'object' &&
              value !== null &&
              typeof (value as Record<string, unknown>)['__typename'] === 'string'
                ? [(value as Record<string, string>)['__typename']!]
                : [],
            );
            if (typenames.length > 0) span.setAttribute(ANSWER_TYPENAME, typenames);
          }
          return Promise.resolve();
        },
      });
    },
  };
}
