/**
 * The GraphQL function's time budget, in one place: the Lambda entry configures its
 * clients from it and the CDK app derives the function's timeout from it, so a mutation
 * answers (CommandPending, or SERVICE_UNAVAILABLE when DynamoDB stays away before the command
 * is stored) before Lambda would cut it off and API Gateway would turn that into a 5xx.
 *
 * A mutation waits up to its deadline for the notification; what can still come after the
 * deadline is bounded here: the DynamoDB call under way when it passes, then the durable
 * read of the outcome (the command's outcome, then the destination), then the unsubscribe.
 * Every DynamoDB call is bounded by its attempts, each attempt by its connection and
 * request timeouts, and the pauses between attempts by the retry backoff. Whatever the
 * resolver does, the request's budget also caps its DynamoDB calls (dynamodb/request-budget.ts).
 */
import { VisitplannrError } from '../../errors/index.js';

export interface DynamoDBCallSettings {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Per attempt: the TCP connection. */
  readonly connectionTimeoutMs: number;
  /** Per attempt: the response (the socket may stay silent no longer). */
  readonly requestTimeoutMs: number;
  /** The pause before retry n (1-based) is up to `retryDelayMs × 2^(n-1)`, jittered. */
  readonly retryDelayMs: number;
}

export interface GraphQLTimeBudget {
  /** How long a mutation waits for its notification before it reads the durable outcome. */
  readonly mutationDeadlineMs: number;
  /** The broker's acknowledgement of a SUBSCRIBE (and UNSUBSCRIBE), warm. */
  readonly subscribeAckMs: number;
  /**
   * The first SUBSCRIBE after a cold start. The connection is opened during init, so it is
   * usually one round trip; it may still wait for a shard's subscriber connection (TLS) when
   * init did not see the connection ready. Chosen from the cold figure the bundling test
   * reports (README, "Time budget").
   */
  readonly firstSubscribeAckMs: number;
  /** The GraphQL function's DynamoDB client. */
  readonly dynamodb: DynamoDBCallSettings;
  /** DynamoDB calls, one after another, that can still start once the deadline has passed (outcome, destination). */
  readonly callsAfterDeadline: number;
  /**
   * Recording how the command was answered (the answer log, in the cache) before answering: a
   * cache round trip takes about a millisecond; past this the answer goes out unrecorded.
   */
  readonly answerRecordMs: number;
  /** Left for Apollo to format the answer and Lambda to return it. */
  readonly marginMs: number;
}

export const GRAPHQL_TIME_BUDGET: GraphQLTimeBudget = {
  mutationDeadlineMs: 5000,
  subscribeAckMs: 1000,
  firstSubscribeAckMs: 2000,
  // DynamoDB answers a single-item call in milliseconds; an attempt silent for a second is lost,
  // and a caller is better served by a quick SERVICE_UNAVAILABLE than by four 3-second attempts.
  dynamodb: { maxAttempts: 3, connectionTimeoutMs: 500, requestTimeoutMs: 1000, retryDelayMs: 100 },
  callsAfterDeadline: 2,
  answerRecordMs: 100,
  marginMs: 1000,
};

/** API Gateway's HTTP API gives up on an integration after 30 s (a 503 to the caller); stay clear of it. */
export const MAX_GRAPHQL_FUNCTION_TIMEOUT_MS = 29_000;

/** Backoff before retry `n` (1-based), at most: what the client's retry strategy may wait. */
export const retryDelayCapMs = (settings: DynamoDBCallSettings, n: number): number =>
  settings.retryDelayMs * 2 ** (n - 1);

/** The longest one DynamoDB call can take through all its attempts. */
export function dynamodbCallWorstCaseMs(settings: DynamoDBCallSettings): number {
  let total = settings.maxAttempts * (settings.connectionTimeoutMs + settings.requestTimeoutMs);
  for (let n = 1; n < settings.maxAttempts; n++) total += retryDelayCapMs(settings, n);
  return total;
}

/** The longest a mutation can still take once its deadline has passed. */
export function afterDeadlineWorstCaseMs(budget: GraphQLTimeBudget): number {
  // The call under way when the deadline passes, the durable read, recording the answer, then the unsubscribe.
  return (
    (1 + budget.callsAfterDeadline) * dynamodbCallWorstCaseMs(budget.dynamodb) +
    budget.answerRecordMs +
    budget.subscribeAckMs
  );
}

export class TimeBudgetTooLongError extends VisitplannrError {
  override readonly name = 'TimeBudgetTooLongError';
  readonly code = 'TIME_BUDGET_TOO_LONG';
  constructor(readonly timeoutMs: number) {
    super(
      `the GraphQL function would need a ${timeoutMs} ms timeout; API Gateway stops waiting at 30 s (at most ${MAX_GRAPHQL_FUNCTION_TIMEOUT_MS} ms)`,
    );
  }
}

/** The GraphQL function's timeout, in whole seconds as Lambda takes it: deadline + everything after it + margin. */
export function graphqlFunctionTimeoutMs(budget: GraphQLTimeBudget = GRAPHQL_TIME_BUDGET): number {
  const needed = budget.mutationDeadlineMs + afterDeadlineWorstCaseMs(budget) + budget.marginMs;
  const timeoutMs = Math.ceil(needed / 1000) * 1000;
  if (timeoutMs > MAX_GRAPHQL_FUNCTION_TIMEOUT_MS) throw new TimeBudgetTooLongError(timeoutMs);
  return timeoutMs;
}

/** The budget with another mutation deadline (MUTATION_DEADLINE_MS, or the CDK context value). */
export const withMutationDeadline = (
  mutationDeadlineMs: number,
  budget: GraphQLTimeBudget = GRAPHQL_TIME_BUDGET,
): GraphQLTimeBudget => ({
  ...budget,
  mutationDeadlineMs,
});
