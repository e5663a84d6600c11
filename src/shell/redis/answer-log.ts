/**
 * The answer log in Redis/Valkey: one key per command, `<namespace>:answered:<correlationId>`,
 * holding how the API answered it (JSON), kept a day. It lives in the cache the notifications
 * already use, on the GraphQL function's commands connection (the subscriber connection cannot
 * issue commands), so recording an answer adds no DynamoDB write to the mutation's path. It is
 * a record for journeys, not a source of truth: a cache that is away loses it, and that is all.
 */
import { parseRecordedAnswer } from '../../domain/journey.js';
import type { AnswerLog } from '../../ports/index.js';
import { withDeadline } from '../runtime/deadline.js';
import type { RedisConnection } from './connection.js';

/** As long as anyone asks for a command's journey in practice; the cache keeps nothing longer. */
export const ANSWER_LOG_TTL_SECONDS = 86_400;

export const answerKey = (namespace: string, correlationId: string): string => `${namespace}:answered:${correlationId}`;

export function createRedisAnswerLog({
  redis,
  namespace,
  recordTimeoutMs,
  readTimeoutMs,
}: {
  redis: RedisConnection;
  namespace: string;
  /** Short: the mutation's answer waits on it (see GRAPHQL_TIME_BUDGET.answerRecordMs). */
  recordTimeoutMs: number;
  readTimeoutMs: number;
}): AnswerLog {
  return {
    async record(correlationId, answer) {
      // NX: a retried request (same idempotency key) keeps the first request's answer, as the
      // command keeps the first request's receipt.
      await withDeadline(
        redis.set(answerKey(namespace, correlationId), JSON.stringify(answer), 'EX', ANSWER_LOG_TTL_SECONDS, 'NX'),
        recordTimeoutMs,
        'answer log record',
      );
    },

    async read(correlationId) {
      const value = await withDeadline(
        redis.get(answerKey(namespace, correlationId)),
        readTimeoutMs,
        'answer log read',
      );
      if (value === null) return null;
      try {
        return parseRecordedAnswer(JSON.parse(value));
      } catch {
        return null;
      }
    },
  };
}
