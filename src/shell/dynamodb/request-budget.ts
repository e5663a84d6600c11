/**
 * One time budget per request for the GraphQL function's DynamoDB client. The function
 * runs each invocation inside `withRequestBudget(answerBy, …)` (runtime/request-budget.ts); a middleware wrapping
 * all of a call's attempts refuses to start a call once the request's time is spent and
 * gives up on one that would outlive it. Either way, and when DynamoDB still fails after
 * the client's retries (throttling, a 5xx, silent attempts), the caller gets
 * StoreUnavailableError (SERVICE_UNAVAILABLE, retryable), never a function timeout.
 */
import { DynamoDBServiceException, type DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { StoreUnavailableError } from '../../errors/index.js';
import { type DynamoDBCallSettings, retryDelayCapMs } from '../graphql/time-budget.js';
import { requestTimeLeftMs } from '../runtime/request-budget.js';

/** The client settings of the budget: attempts, per-attempt timeouts, a bounded jittered backoff. */
export const budgetedClientConfig = (settings: DynamoDBCallSettings): DynamoDBClientConfig => ({
  // throwOnRequestTimeout: without it the SDK only logs a warning when an attempt outlives requestTimeout.
  requestHandler: {
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
  // Jitter spreads retries of throttled callers; the cap is what the budget counts on.
  retryStrategy: new ConfiguredRetryStrategy(settings.maxAttempts, (attempt) =>
    Math.floor(Math.random() * retryDelayCapMs(settings, attempt)),
  ),
});

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
/** What retrying later may cure: throttling, a server fault, an attempt that got no answer. */
const isTransient = (error: unknown): boolean =>
  error instanceof DynamoDBServiceException
    ? error.$fault === 'server' || THROTTLING.has(error.name)
    : error instanceof Error &&
      (error.name === 'TimeoutError' ||
        ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? ''));

export function applyRequestBudget(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'DynamoDB').replace(/Command$/, '');
      const remaining = requestTimeLeftMs();
      if (remaining <= 0) throw new StoreUnavailableError(operation);
      let timer: NodeJS.Timeout | undefined;
      const spent = new Promise<never>((_resolve, reject) => {
        if (Number.isFinite(remaining))
          timer = setTimeout(() => reject(new StoreUnavailableError(operation)), remaining);
      });
      try {
        return await Promise.race([next(args), spent]);
      } catch (error) {
        if (error instanceof StoreUnavailableError || !isTransient(error)) throw error;
        throw new StoreUnavailableError(operation, { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
    // initialize runs once per call, outside the retry middleware: it sees the call, not each attempt.
    { step: 'initialize', priority: 'high', name: 'visitplannrRequestBudget' },
  );
}
