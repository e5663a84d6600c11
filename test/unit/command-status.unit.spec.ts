import { describe, expect, it } from 'vitest';
import type { GraphQLFormattedError } from 'graphql';
import { commandStatusView } from '../../src/resolvers/command-status.js';
import { formatError } from '../../src/resolvers/errors.js';
import { HandlerFailedError, IdempotencyKeyReusedError, InvalidArgumentError } from '../../src/errors/index.js';
import { outcomeOf, proposeCommand } from '../support/commands.js';

const command = proposeCommand('cid-status');

describe('commandStatusView', () => {
  it('given no outcome yet, then the command is PENDING with nothing else to say', () => {
    expect(commandStatusView(command, null)).toEqual({
      correlationId: 'cid-status',
      state: 'PENDING',
      destinationId: null,
      problems: null,
      reason: null,
    });
  });

  it('given CommandAccepted, then it is ACCEPTED with the destination id', () => {
    const outcome = outcomeOf(command, 'CommandAccepted', { destinationId: 'd1' });
    expect(commandStatusView(command, outcome)).toEqual({
      correlationId: 'cid-status',
      state: 'ACCEPTED',
      destinationId: 'd1',
      problems: null,
      reason: null,
    });
  });

  it('given CommandRejected, then it is REJECTED with the problems', () => {
    const problems = [{ field: 'name', code: 'REQUIRED', message: 'Give the destination a name.' }] as const;
    const outcome = outcomeOf(command, 'CommandRejected', { problems });
    expect(commandStatusView(command, outcome)).toEqual({
      correlationId: 'cid-status',
      state: 'REJECTED',
      destinationId: null,
      problems,
      reason: null,
    });
  });

  it('given CommandFailed, then it is FAILED with the handler and reason', () => {
    const outcome = outcomeOf(command, 'CommandFailed', { handler: 'decide', reason: 'timeout' });
    expect(commandStatusView(command, outcome)).toEqual({
      correlationId: 'cid-status',
      state: 'FAILED',
      destinationId: null,
      problems: null,
      reason: 'decide: timeout',
    });
  });
});

describe('formatError', () => {
  const formattedFor = (error: Error, code = 'INTERNAL_SERVER_ERROR'): GraphQLFormattedError => ({
    message: error.message,
    locations: [{ line: 2, column: 3 }],
    path: ['proposeDestination'],
    extensions: { code, stacktrace: ['secret stack'] },
  });

  it('given an InvalidArgumentError, then it is BAD_USER_INPUT naming the argument', () => {
    const error = new InvalidArgumentError('correlationId', 'correlationId must be a UUID');
    expect(formatError(formattedFor(error), error)).toEqual({
      message: 'correlationId must be a UUID',
      locations: [{ line: 2, column: 3 }],
      path: ['proposeDestination'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'correlationId' },
    });
  });

  it('given an IdempotencyKeyReusedError, then it is IDEMPOTENCY_KEY_REUSED with the correlation id', () => {
    const error = new IdempotencyKeyReusedError('cid-reused');
    expect(formatError(formattedFor(error), error).extensions).toEqual({
      code: 'IDEMPOTENCY_KEY_REUSED',
      correlationId: 'cid-reused',
    });
  });

  it('given a HandlerFailedError, then it is HANDLER_FAILED with correlation id, handler and whether it is retrying', () => {
    const error = new HandlerFailedError('cid-failed', 'decide', false);
    const result = formatError(formattedFor(error), error);
    expect(result.message).toBe('Processing failed in decide and will not be retried.');
    expect(result.extensions).toEqual({
      code: 'HANDLER_FAILED',
      correlationId: 'cid-failed',
      handler: 'decide',
      retrying: false,
    });
  });

  it('given an unknown error, then the message and stack are hidden behind INTERNAL_SERVER_ERROR', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.5:6379 password=hunter2');
    const result = formatError(formattedFor(error), error);
    expect(result).toEqual({
      message: 'Internal server error',
      locations: [{ line: 2, column: 3 }],
      path: ['proposeDestination'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('given an unknown error without any code, then it is still hidden', () => {
    const error = new TypeError('cannot read properties of undefined');
    const result = formatError({ message: error.message }, error);
    expect(result).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('given an error Apollo classified itself (validation), then its message and code are shown as they are', () => {
    const formatted: GraphQLFormattedError = {
      message: 'Cannot query field "nope"',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(formatError(formatted, new Error(formatted.message))).toEqual(formatted);
  });
});
