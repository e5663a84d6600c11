/**
 * DynamoDB faults injected at the stack's SDK client (a middleware inside the SDK's retry
 * middleware): throttling, 500s and lost responses on real DynamoDB Local writes.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DYNAMODB_MAX_ATTEMPTS } from '../../src/shell/dynamodb/clients.js';
import { useTestStack } from '../support/stack.js';
import { expectNothingStored, scanAll } from '../support/tables.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack({ mutationDeadlineMs: 4000, retry: { maxAttempts: 3, baseDelayMs: 50 } });
afterEach(() => stack.dynamodbFaults.clear());

const propose = (input: Record<string, unknown>) => gql(stack.graphqlUrl, PROPOSE, { input });

/** Every record the event table holds for a command and its destination, by type. */
async function recordsOf(correlationId: string): Promise<string[]> {
  const items = await scanAll(stack.dynamodbEndpoint, stack.tables.events);
  return items
    .filter((item) => item['correlationId'] === correlationId)
    .map((item) => `${item['type']}@${item['version']}`)
    .sort();
}
const ACCEPTED_AND_VALIDATED = [
  'CommandAccepted@2',
  'DestinationProposed@1',
  'GeolocationValidationSucceeded@2',
  'ProposeDestination@1',
];

describe('DynamoDB faults on the write path', () => {
  it('throttled and failing decision writes are retried by the SDK: the mutation answers and the decision is stored once', async () => {
    stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'throttling', count: 1 });
    stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'internal-error', count: 1 });
    const { data, errors } = await propose({ name: 'Throttled', latitude: 48.85, longitude: 2.35 });
    expect(errors).toBeUndefined();
    expect(data?.['proposeDestination']).toMatchObject({
      __typename: 'DestinationProposed',
      destination: { name: 'Throttled' },
    });
    expect(stack.dynamodbFaults.raised['TransactWriteItems']).toBe(2);
    expect(stack.dynamodbFaults.raised['PutItem']).toBeUndefined();
    await stack.settled();
    expect(await recordsOf(data!['proposeDestination'].correlationId)).toEqual(ACCEPTED_AND_VALIDATED);
  });

  it('a lost response after the transaction took effect: the retry finds it written, nothing is duplicated', async () => {
    stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'lost-response', count: 1 });
    const { data, errors } = await propose({ name: 'Lost answer', latitude: 45.76, longitude: 4.84 });
    expect(errors).toBeUndefined();
    expect(data?.['proposeDestination'].__typename).toBe('DestinationProposed');
    await stack.settled();
    expect(await recordsOf(data!['proposeDestination'].correlationId)).toEqual(ACCEPTED_AND_VALIDATED);
  });

  it('failing past the SDK retries: the caller gets HANDLER_FAILED at once, the batch item is retried, and the decision lands whole, once', async () => {
    // Every attempt of one call fails: the decider's first invocation fails.
    stack.dynamodbFaults.inject({
      operation: 'TransactWriteItems',
      fault: 'internal-error',
      count: DYNAMODB_MAX_ATTEMPTS,
    });
    const { data, errors } = await propose({ name: 'Retried', latitude: 43.3, longitude: 5.37 });
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', handler: 'decide', retrying: true });
    const correlationId = String(errors?.[0]?.extensions?.['correlationId']);
    await stack.settled();
    expect(await recordsOf(correlationId)).toEqual(ACCEPTED_AND_VALIDATED);
    const status = await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state } }`);
    expect(status.data?.['commandStatus']).toEqual({ state: 'ACCEPTED' });
  });

  it('the command write failing past the SDK retries: SERVICE_UNAVAILABLE, nothing stored, and a retry with the same key succeeds once', async () => {
    const input = { name: 'Busy', latitude: 44.84, longitude: -0.58, idempotencyKey: randomUUID() };
    stack.dynamodbFaults.inject({ operation: 'PutItem', fault: 'internal-error', count: DYNAMODB_MAX_ATTEMPTS });
    const refused = await expectNothingStored(stack, () => propose(input));
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
    expect(refused.errors?.[0]?.message).toMatch(/Try again; send the same idempotencyKey/);
    expect(JSON.stringify(refused)).not.toMatch(/InternalServerError|injected/);

    const retried = await propose(input);
    expect(retried.data?.['proposeDestination'].__typename).toBe('DestinationProposed');
    // The refusal named the command it was about, so the caller could have asked its status.
    expect(refused.errors?.[0]?.extensions?.['correlationId']).toBe(retried.data?.['proposeDestination'].correlationId);
    await stack.settled();
    expect(await recordsOf(retried.data!['proposeDestination'].correlationId)).toEqual(ACCEPTED_AND_VALIDATED);
  });
});
