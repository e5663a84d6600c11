/**
 * The fan-out's partial delivery failure: the local bus refuses one entry of a batch (as
 * EventBridge does, with FailedEntryCount and a per-entry ErrorCode), the fan-out reports
 * that record as a batch item failure, the event source mapping retries from it (never the
 * records before it), in order, dead-letters what is left after its attempts, and a
 * redrive once the bus takes entries again lets the bus handler check the location.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ReceivedEntry } from '../../local/event-bus.js';
import { eventually } from '../support/eventually.js';
import { useTestStack } from '../support/stack.js';
import { scanAll } from '../support/tables.js';
import { gql, PROPOSE } from './client.js';

const MAX_ATTEMPTS = 3;
const stack = useTestStack({ retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50 } });

const propose = async (name: string, latitude: number, longitude: number) => {
  const { data } = await gql(stack.graphqlUrl, PROPOSE, { input: { name, latitude, longitude } });
  expect(data?.['proposeDestination']).toMatchObject({ __typename: 'DestinationProposed' });
  return {
    correlationId: data?.['proposeDestination'].correlationId as string,
    id: data?.['proposeDestination'].destination.id as string,
  };
};
const destination = async (id: string) =>
  (
    await gql(
      stack.graphqlUrl,
      `{ destination(id: "${id}") { status country version } destinationHistory(id: "${id}") { type } }`,
    )
  ).data;
const imageOf = (record: DynamoDBRecord) => ({
  type: record.dynamodb?.NewImage?.['type']?.S,
  correlationId: record.dynamodb?.NewImage?.['correlationId']?.S,
});
/** The entries of each PutEvents call, as correlation ids, in call order. */
const byCall = (entries: readonly ReceivedEntry[]): string[][] => {
  const calls = new Map<number, string[]>();
  for (const entry of entries) calls.set(entry.call, [...(calls.get(entry.call) ?? []), entry.correlationId ?? '']);
  return [...calls.values()];
};

describe('the fan-out when the bus refuses one entry of a batch', () => {
  it('retries from the refused record in order, dead-letters it and what follows, and a redrive checks the location', async () => {
    await stack.settled();
    const eventsBefore = (await scanAll(stack.dynamodbEndpoint, stack.tables.events)).length;
    const receivedBefore = stack.bus.received.length;
    // Held, the fan-out gathers the three proposals' records into one batch.
    stack.fanout.pause();
    let first, refused, last;
    try {
      first = await propose('Ghent', 51.05, 3.72);
      refused = await propose('Utrecht', 52.09, 5.12);
      last = await propose('Lyon', 45.76, 4.84);
      const refusedId = refused.correlationId;
      stack.bus.faults.refuseEntries(({ detail }) => detail['correlationId'] === refusedId);
      const written = (await scanAll(stack.dynamodbEndpoint, stack.tables.events)).length - eventsBefore;
      await eventually(() => stack.inFlight().includes(`fanout: ${written} stream record(s) (function paused)`), {
        what: `all ${written} new records waiting for the fan-out`,
      });
    } finally {
      stack.fanout.resume();
    }
    await stack.settled();
    const [a, b, c] = [first.correlationId, refused.correlationId, last.correlationId];

    // What the bus was sent: the batch once; then each retry of the mapping from the refused
    // record on, in stream order; between them the fan-out's own retries of the refused entry.
    const duringFault = stack.bus.received.slice(receivedBefore);
    const calls = byCall(duringFault);
    expect(calls.filter((call) => call.length > 1)).toEqual([
      [a, b, c],
      ...Array.from({ length: MAX_ATTEMPTS - 1 }, () => [b, c]),
    ]);
    expect(calls.filter((call) => call.length === 1).every(([only]) => only === b)).toBe(true);
    const sent = (id: string) => duringFault.filter((entry) => entry.correlationId === id);
    expect(sent(a)).toEqual([expect.not.objectContaining({ errorCode: expect.anything() })]);
    expect(sent(c)).toHaveLength(MAX_ATTEMPTS);
    expect(sent(c).every((entry) => entry.errorCode === undefined)).toBe(true);
    expect(sent(b).length).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
    expect(sent(b).every((entry) => entry.errorCode === 'InternalFailure')).toBe(true);

    // Dead-lettered: the refused record and everything after it in the batch, in stream order.
    const letters = stack.deadLetters.list().filter((letter) => letter.handler === 'fanout');
    const records = letters.map((letter) => letter.payload as DynamoDBRecord);
    expect(imageOf(records[0]!)).toEqual({ type: 'DestinationProposed', correlationId: b });
    expect(records.map(imageOf)).toContainEqual({ type: 'DestinationProposed', correlationId: c });
    expect(records.every((record) => imageOf(record).correlationId !== a)).toBe(true);
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect(sequence).toEqual([...sequence].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    for (const letter of letters)
      expect(letter).toMatchObject({ attempts: MAX_ATTEMPTS, error: 'reported as batch item failures' });
    // The entries that got through were checked; the refused one was not.
    expect((await destination(first.id))?.['destination']).toMatchObject({ status: 'LOCATION_VALIDATED' });
    expect((await destination(last.id))?.['destination']).toMatchObject({ status: 'LOCATION_VALIDATED' });
    expect((await destination(refused.id))?.['destination']).toMatchObject({ status: 'PROPOSED', version: 1 });

    // The bus takes entries again; the operator redrives the fan-out's letters.
    stack.bus.faults.acceptEntries();
    const receivedBeforeRedrive = stack.bus.received.length;
    const redrive = await fetch(stack.deadLettersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: letters.map((letter) => letter.id) }),
    });
    expect(redrive.status).toBe(200);
    const { results } = (await redrive.json()) as { results: { redriven: boolean }[] };
    expect(results).toHaveLength(letters.length);
    expect(results.every((result) => result.redriven)).toBe(true);
    await stack.settled();

    expect(stack.deadLetters.list()).toEqual([]);
    const redriven = stack.bus.received.slice(receivedBeforeRedrive);
    expect(redriven.filter((entry) => entry.correlationId === b)).toEqual([
      expect.not.objectContaining({ errorCode: expect.anything() }),
    ]);
    expect(redriven.some((entry) => entry.correlationId === a)).toBe(false);
    const checked = await destination(refused.id);
    expect(checked?.['destination']).toEqual({ status: 'LOCATION_VALIDATED', country: 'NL', version: 2 });
    // The redelivered entry of a destination checked already changes nothing: still one check.
    const lyon = await destination(last.id);
    expect(lyon?.['destination']).toEqual({ status: 'LOCATION_VALIDATED', country: 'FR', version: 2 });
    expect(
      (lyon?.['destinationHistory'] as { type: string }[]).filter(
        (event) => event.type === 'GeolocationValidationSucceeded',
      ),
    ).toHaveLength(1);
  });
});
