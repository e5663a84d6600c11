import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InvalidStackConfigurationError } from '../../infra/stack.js';
import { InjectedFaultError } from '../../local/faults.js';
import { BodyTooLargeError } from '../../local/http.js';
import { RedisUnavailableError } from '../../local/redis.js';
import { StackNotSettledError } from '../../local/stack.js';
import { OutOfOrderEventError } from '../../src/domain/destination.js';
import {
  ExpectedVersionConflictError,
  HandlerFailedError,
  IdempotencyKeyReusedError,
  InvalidArgumentError,
  MalformedRecordError,
  PartialAppendError,
  PublishConflictError,
  RateLimitedError,
  StoreUnavailableError,
  UnauthenticatedError,
  VisitplannrError,
} from '../../src/errors/index.js';
import { formatError } from '../../src/resolvers/errors.js';
import { InvalidAuthConfigurationError } from '../../src/shell/auth/configuration-error.js';
import { StreamBatchUnreadableError } from '../../src/shell/dynamodb/stream-batch.js';
import { TargetTableExistsError } from '../../src/shell/ops/rebuild-projections.js';
import { InvalidRedisModeError } from '../../src/shell/redis/connection.js';
import { InvalidLimitsError } from '../../src/shell/redis/proposal-budget.js';
import { DeadlineExceededError } from '../../src/shell/runtime/deadline.js';

const cause = new Error('the underlying failure');

type ErrorClass = abstract new (...args: never[]) => VisitplannrError;

/** One instance of every error class in src/, local/ and infra/, with the class it was made by. */
const everyError: readonly [ErrorClass, VisitplannrError][] = [
  [ExpectedVersionConflictError, new ExpectedVersionConflictError(['destination-1'], { cause })],
  [IdempotencyKeyReusedError, new IdempotencyKeyReusedError('cid-1')],
  [HandlerFailedError, new HandlerFailedError('cid-1', 'decide', true)],
  [InvalidArgumentError, new InvalidArgumentError('name', 'name must not be empty')],
  [MalformedRecordError, new MalformedRecordError('version is not an integer', { cause })],
  [PublishConflictError, new PublishConflictError('index.html', { cause })],
  [UnauthenticatedError, new UnauthenticatedError('The token has expired.', { cause })],
  [StoreUnavailableError, new StoreUnavailableError('append', { cause })],
  [PartialAppendError, new PartialAppendError(['appended', 'failed'], { cause })],
  [RateLimitedError, new RateLimitedError(30)],
  [OutOfOrderEventError, new OutOfOrderEventError('destination-1', 2, 3)],
  [InvalidAuthConfigurationError, new InvalidAuthConfigurationError('AUTH_MODE', 'AUTH_MODE is not known')],
  [StreamBatchUnreadableError, new StreamBatchUnreadableError(streamPosition(), 'the shard is gone', { cause })],
  [TargetTableExistsError, new TargetTableExistsError('read-models-2', { cause })],
  [InvalidLimitsError, new InvalidLimitsError('ANON_PROPOSALS_GLOBAL')],
  [InvalidRedisModeError, new InvalidRedisModeError('sharded')],
  [DeadlineExceededError, new DeadlineExceededError('GetRecords', 1000)],
  [InjectedFaultError, new InjectedFaultError('decide')],
  [RedisUnavailableError, new RedisUnavailableError('redis://127.0.0.1:6379')],
  [BodyTooLargeError, new BodyTooLargeError(1024)],
  [StackNotSettledError, new StackNotSettledError(60_000, [])],
  [InvalidStackConfigurationError, new InvalidStackConfigurationError('stage', 'stage must be set')],
];

function streamPosition() {
  return {
    streamArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/events/stream/x',
    shardId: 'shard-1',
    startSequenceNumber: '1',
    endSequenceNumber: '2',
  };
}

describe('VisitplannrError, the base of every error class', () => {
  it.each(everyError.map(([type, error]) => [type.name, type, error] as const))(
    'given a %s, then it is an Error, a VisitplannrError and its own class, named after that class',
    (name, type, error) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(VisitplannrError);
      expect(error).toBeInstanceOf(type);
      expect(error.name).toBe(name);
      expect(String(error)).toBe(`${name}: ${error.message}`);
      expect(error.stack).toContain(name);
    },
  );

  it('given every error class, then each has its own stable UPPER_SNAKE_CASE code', () => {
    const codes = everyError.map(([, error]) => error.code);
    for (const code of codes) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
    expect(new Set(codes).size).toBe(codes.length);
    // A few spelled out: changing one breaks whatever matches on it (logs, alarms, the GraphQL mapping).
    expect(new ExpectedVersionConflictError(['s']).code).toBe('EXPECTED_VERSION_CONFLICT');
    expect(new StoreUnavailableError('append').code).toBe('STORE_UNAVAILABLE');
    expect(new InvalidArgumentError('a', 'm').code).toBe('INVALID_ARGUMENT');
  });

  it('given an error made with a cause, then the cause is kept as it was', () => {
    for (const [, error] of everyError) {
      if (error.cause !== undefined) expect(error.cause).toBe(cause);
    }
    expect(everyError.filter(([, error]) => error.cause === cause)).toHaveLength(8);
    expect(new ExpectedVersionConflictError(['s'])).not.toHaveProperty('cause');
  });

  it('given an error, then its context stays on it beside the code', () => {
    const error = new HandlerFailedError('cid-9', 'validate-geolocation', false);
    expect(error).toMatchObject({
      code: 'HANDLER_FAILED',
      correlationId: 'cid-9',
      handler: 'validate-geolocation',
      retrying: false,
    });
    expect(new PartialAppendError(['failed'], { cause }).outcomes).toEqual(['failed']);
  });

  it('given a subclass of a subclass, then instanceof holds at every level', () => {
    class StaleProjectionError extends ExpectedVersionConflictError {}
    const error = new StaleProjectionError(['recent']);
    expect(error).toBeInstanceOf(StaleProjectionError);
    expect(error).toBeInstanceOf(ExpectedVersionConflictError);
    expect(error).toBeInstanceOf(VisitplannrError);
    expect(error.code).toBe('EXPECTED_VERSION_CONFLICT');
  });
});

describe('formatError maps by the error code', () => {
  const formattedFor = (error: Error): GraphQLFormattedError => ({
    message: error.message,
    extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['secret stack'] },
  });

  it('given a StoreUnavailableError, then it is SERVICE_UNAVAILABLE and retryable, with its message', () => {
    const error = new StoreUnavailableError('append', { cause });
    expect(formatError(formattedFor(error), error)).toEqual({
      message: 'The service is busy. Try again; send the same idempotencyKey to be sure it happens once.',
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
  });

  it('given a StoreUnavailableError about a command, then it names the command, so the caller can ask its status', () => {
    const error = new StoreUnavailableError('PutItem', { cause, correlationId: 'c-1' });
    expect(formatError(formattedFor(error), error).extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      correlationId: 'c-1',
    });
  });

  it('given one of our errors that is not meant for clients, then it is hidden like any other', () => {
    for (const [, error] of everyError) {
      if (['INVALID_ARGUMENT', 'IDEMPOTENCY_KEY_REUSED', 'STORE_UNAVAILABLE', 'HANDLER_FAILED'].includes(error.code))
        continue;
      expect(formatError(formattedFor(error), error)).toEqual({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });
});
