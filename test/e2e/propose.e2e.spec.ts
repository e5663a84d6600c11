/**
 * The write path end to end: HTTP → the GraphQL Lambda handler → command in DynamoDB
 * Local → stream → decide → EventBridge-compatible bus → validate / project → Redis
 * notification → the mutation's answer.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../support/stack.js';
import { expectNothingStored } from '../support/tables.js';
import { gql, PROPOSE } from './client.js';

// Generous, so a loaded machine still answers from the notification; the paused cases wait it out.
const DEADLINE_MS = 4000;
const stack = useTestStack({ mutationDeadlineMs: DEADLINE_MS, retry: { maxAttempts: 2, baseDelayMs: 50 } });

const propose = (input: Record<string, unknown>) => gql(stack.graphqlUrl, PROPOSE, { input });

describe('proposeDestination over HTTP against the local stack', () => {
  it('answers DestinationProposed with the projected destination, then queries return it', async () => {
    const { data, errors } = await propose({ name: 'Ghent', latitude: 51.05, longitude: 3.72 });
    expect(errors).toBeUndefined();
    const result = data!['proposeDestination'];
    expect(result).toMatchObject({
      __typename: 'DestinationProposed',
      destination: { name: 'Ghent', latitude: 51.05, longitude: 3.72 },
    });
    // Answered at the PROPOSED step, or later if the geolocation check was already projected by then.
    expect(['PROPOSED:1', 'LOCATION_VALIDATED:2']).toContain(
      `${result.destination.status}:${result.destination.version}`,
    );
    const id = result.destination.id;

    // The view is read-your-writes at once; the recent list is folded from it a batching window later.
    await stack.settled();
    const queried = await gql(
      stack.graphqlUrl,
      `query($id: ID!) { destination(id: $id) { id name } recentDestinations(limit: 50) { id } destinationHistory(id: $id) { type version correlationId } commandStatus(correlationId: "${result.correlationId}") { state destinationId } }`,
      { id },
    );
    expect(queried.data?.['destination']).toEqual({ id, name: 'Ghent' });
    expect(queried.data?.['recentDestinations'].map((d: { id: string }) => d.id)).toContain(id);
    expect(queried.data?.['destinationHistory'][0]).toEqual({
      type: 'DestinationProposed',
      version: 1,
      correlationId: result.correlationId,
    });
    expect(queried.data?.['commandStatus']).toEqual({ state: 'ACCEPTED', destinationId: id });
  });

  it('waits for the geolocation outcome when asked to', async () => {
    const { data } = await propose({
      name: 'Reykjavík',
      latitude: 64.15,
      longitude: -21.94,
      waitFor: 'LOCATION_CHECKED',
    });
    expect(data?.['proposeDestination'].destination).toMatchObject({
      status: 'LOCATION_VALIDATED',
      country: 'IS',
      version: 2,
    });
  });

  it('leaves a point in the open sea out of the recent destinations', async () => {
    const { data } = await propose({ name: 'Mid-Atlantic', latitude: 30, longitude: -40, waitFor: 'LOCATION_CHECKED' });
    const destination = data!['proposeDestination'].destination;
    expect(destination).toMatchObject({ status: 'LOCATION_REJECTED', country: null });
    await stack.settled();
    const recent = await gql(stack.graphqlUrl, '{ recentDestinations(limit: 50) { id } }');
    expect(recent.data?.['recentDestinations'].map((d: { id: string }) => d.id)).not.toContain(destination.id);
  });

  it('rejects invalid input with every problem, and writes no command', async () => {
    const { data } = await propose({ name: '   ', latitude: 91, longitude: -181 });
    const result = data!['proposeDestination'];
    expect(result.__typename).toBe('ProposalRejected');
    expect(result.problems.map((p: { field: string; code: string }) => `${p.field}:${p.code}`)).toEqual([
      'name:REQUIRED',
      'latitude:OUT_OF_RANGE',
      'longitude:OUT_OF_RANGE',
    ]);
    const status = await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${result.correlationId}") { state } }`);
    expect(status.data?.['commandStatus']).toBeNull();
  });

  it('turns the same idempotency key into one destination, and refuses the key for a different proposal', async () => {
    const idempotencyKey = randomUUID();
    const input = { name: 'Bruges', latitude: 51.21, longitude: 3.22, idempotencyKey };
    const [first, second] = await Promise.all([propose(input), propose(input)]);
    const third = await propose(input);
    const ids = [first, second, third].map((response) => response.data?.['proposeDestination'].destination.id);
    expect(new Set(ids).size).toBe(1);
    const history = await gql(stack.graphqlUrl, `{ destinationHistory(id: "${ids[0]}") { type } }`);
    expect(
      history.data?.['destinationHistory'].filter((e: { type: string }) => e.type === 'DestinationProposed'),
    ).toHaveLength(1);

    const reused = await propose({ ...input, name: 'Antwerp' });
    expect(reused.errors?.[0]?.extensions?.['code']).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers CommandPending when the location check is paused past the deadline, and commandStatus reports the outcome after it resumes', async () => {
    stack.handlers['validate-geolocation'].pause();
    try {
      const { data } = await propose({ name: 'Delft', latitude: 52.01, longitude: 4.36, waitFor: 'LOCATION_CHECKED' });
      expect(data?.['proposeDestination'].__typename).toBe('CommandPending');
      const correlationId = data?.['proposeDestination'].correlationId;
      // The decider runs and stores the view with its decision; only the location check waits. CommandPending does
      // not say the decision was made by then (the answer is the same either way), and settling would wait for the
      // paused check: poll for it.
      const status = () =>
        gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state destinationId } }`);
      await expect
        .poll(async () => (await status()).data?.['commandStatus'].state, { timeout: 20_000 })
        .toBe('ACCEPTED');
      const pending = await status();
      expect(pending.data?.['commandStatus'].state).toBe('ACCEPTED');
      const destinationId = pending.data?.['commandStatus'].destinationId;
      expect(
        (await gql(stack.graphqlUrl, `{ destination(id: "${destinationId}") { status } }`)).data?.['destination'],
      ).toEqual({ status: 'PROPOSED' });

      stack.handlers['validate-geolocation'].resume();
      await stack.settled();
      expect(
        (await gql(stack.graphqlUrl, `{ destination(id: "${destinationId}") { name status } }`)).data?.['destination'],
      ).toEqual({ name: 'Delft', status: 'LOCATION_VALIDATED' });
    } finally {
      stack.handlers['validate-geolocation'].resume();
    }
  });

  it('answers CommandPending while the decider is paused, and commandStatus goes from PENDING to ACCEPTED once it resumes', async () => {
    stack.handlers.decide.pause();
    let correlationId: string;
    try {
      const { data } = await propose({ name: 'Utrecht', latitude: 52.09, longitude: 5.12 });
      correlationId = data!['proposeDestination'].correlationId;
      expect(data?.['proposeDestination'].__typename).toBe('CommandPending');
      expect(
        (await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state } }`)).data?.[
          'commandStatus'
        ].state,
      ).toBe('PENDING');
    } finally {
      stack.handlers.decide.resume();
    }
    await stack.settled();
    expect(
      (await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state } }`)).data?.[
        'commandStatus'
      ].state,
    ).toBe('ACCEPTED');
  });

  it('answers a throwing handler with a prompt typed error, and the retry path still completes the work', async () => {
    stack.handlers['validate-geolocation'].failNext(1);
    const { data, errors } = await propose({
      name: 'Leiden',
      latitude: 52.16,
      longitude: 4.49,
      waitFor: 'LOCATION_CHECKED',
    });
    // Prompt: the failure's notification answered, not the deadline (which would read the
    // durable outcome and answer CommandPending or, after the retry, DestinationProposed).
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({
      code: 'HANDLER_FAILED',
      handler: 'validate-geolocation',
      retrying: true,
    });
    const correlationId = errors?.[0]?.extensions?.['correlationId'];
    await stack.settled();
    const status = await gql(
      stack.graphqlUrl,
      `{ commandStatus(correlationId: "${correlationId}") { destinationId } }`,
    );
    const destination = await gql(
      stack.graphqlUrl,
      `{ destination(id: "${status.data?.['commandStatus'].destinationId}") { status country } }`,
    );
    expect(destination.data?.['destination']).toEqual({ status: 'LOCATION_VALIDATED', country: 'NL' });
  });

  it('records a command as FAILED once the decider exhausts its retries, and dead-letters the record', async () => {
    stack.handlers.decide.failNext(2); // maxAttempts is 2 in this stack
    const { errors } = await propose({ name: 'Haarlem', latitude: 52.38, longitude: 4.64 });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', handler: 'decide' });
    const correlationId = errors?.[0]?.extensions?.['correlationId'];
    await stack.settled();
    const status = await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state reason } }`);
    expect(status.data?.['commandStatus'].state).toBe('FAILED');
    expect(stack.deadLetters.list().some((letter) => letter.handler === 'decide')).toBe(true);
  });
});

describe('replaying an idempotency key', () => {
  it('of a command that ended FAILED answers HANDLER_FAILED with retrying: false, and writes nothing more', async () => {
    const input = { name: 'Zaandam', latitude: 52.44, longitude: 4.83, idempotencyKey: randomUUID() };
    stack.handlers.decide.failNext(2); // maxAttempts is 2 in this stack
    const first = await propose(input);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', handler: 'decide' });
    await stack.settled();
    const correlationId = first.errors?.[0]?.extensions?.['correlationId'];
    expect(
      (await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { state } }`)).data?.[
        'commandStatus'
      ].state,
    ).toBe('FAILED');

    const replayed = await expectNothingStored(stack, () => propose(input));
    expect(replayed.data).toBeNull();
    expect(replayed.errors?.[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', correlationId, retrying: false });
  });
});

describe('queries', () => {
  it('bounds recentDestinations limit with a clear error', async () => {
    for (const limit of [0, 51, -3]) {
      const { errors } = await gql(stack.graphqlUrl, `{ recentDestinations(limit: ${limit}) { id } }`);
      expect(errors?.[0]).toMatchObject({
        message: 'limit must be between 1 and 50.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });

  it('returns null and empty lists for unknown ids', async () => {
    const { data } = await gql(
      stack.graphqlUrl,
      '{ destination(id: "nope") { id } destinationHistory(id: "nope") { type } commandStatus(correlationId: "nope") { state } }',
    );
    expect(data).toEqual({ destination: null, destinationHistory: [], commandStatus: null });
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ recentDestinations { id } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  });
});
