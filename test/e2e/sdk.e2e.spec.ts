/** The typed SDK against the running local stack: every operation, outcome polling, and its errors. */
import { freePort } from '../../local/net.js';
import { routeOf, streamRoutes } from '../../src/topology/topology.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CommandFailedError,
  createClient,
  DeadlineError,
  GraphQLRequestError,
  NetworkError,
  type VisitplannrClient,
} from '@visitplannr/sdk';
import { useTestStack } from '../support/stack.js';

const DECIDE_ATTEMPTS = (routeOf(streamRoutes(), 'decide').batching?.retryAttempts ?? 0) + 1;

// Generous, so a loaded machine still answers from the notification; the paused cases wait it out.
const DEADLINE_MS = 3000;
const stack = useTestStack({ mutationDeadlineMs: DEADLINE_MS });
let client: VisitplannrClient;
/** Every request the client sent, as [operation name, headers]. */
const sent: [string, Headers][] = [];
/** Who waits for the n-th request of an operation to be sent (before it is). */
const sendWaiters: { operation: string; count: number; release: () => void }[] = [];
const sentCount = (operation: string) => sent.filter(([name]) => name === operation).length;
const untilSent = (operation: string, count: number) =>
  new Promise<void>((release) => sendWaiters.push({ operation, count, release }));

beforeAll(() => {
  const recordingFetch: typeof fetch = async (url, init) => {
    const { query } = JSON.parse(init?.body as string) as { query: string };
    sent.push([/(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '?', new Headers(init?.headers)]);
    for (const waiter of sendWaiters.filter((w) => sentCount(w.operation) >= w.count)) {
      sendWaiters.splice(sendWaiters.indexOf(waiter), 1);
      waiter.release();
    }
    return fetch(url, init);
  };
  client = createClient({
    url: stack.graphqlUrl,
    fetch: recordingFetch,
    headers: { 'x-client': 'sdk-test', 'content-type': 'text/plain' },
  });
});

const sentSince = (index: number) => sent.slice(index).map(([operation]) => operation);

describe('the SDK against the local stack', () => {
  it('proposes a destination, then reads it back with every query', async () => {
    const result = await client.proposeDestination({
      name: 'Namur',
      latitude: 50.47,
      longitude: 4.87,
      waitFor: 'LOCATION_CHECKED',
    });
    if (result.__typename !== 'DestinationProposed')
      throw new Error(`expected DestinationProposed, got ${result.__typename}`);
    expect(result.destination).toMatchObject({
      name: 'Namur',
      status: 'LOCATION_VALIDATED',
      country: 'BE',
      version: 2,
    });
    const { id } = result.destination;

    expect(await client.destination(id)).toEqual(result.destination);
    // The recent list is folded from the view a batching window later.
    await stack.settled();
    expect((await client.recentDestinations(50)).map((destination) => destination.id)).toContain(id);
    expect((await client.destinationHistory(id)).map((event) => event.type)).toEqual([
      'DestinationProposed',
      'GeolocationValidationSucceeded',
    ]);
    expect(await client.commandStatus(result.correlationId)).toMatchObject({ state: 'ACCEPTED', destinationId: id });
    const journey = await client.commandJourney(result.correlationId);
    expect(journey?.state).toBe('ACCEPTED');
    expect(journey?.journey.slice(0, 2).map((step) => step.step)).toEqual(['RECEIVED', 'COMMAND_WRITTEN']);
    expect(await client.commandJourney('unknown')).toBeNull();
    expect(await client.destination('unknown')).toBeNull();
  });

  it('sends JSON whatever headers the caller adds, and keeps the caller headers', async () => {
    await client.recentDestinations();
    const [, headers] = sent.at(-1)!;
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('x-client')).toBe('sdk-test');
  });

  it('answers invalid input with ProposalRejected and its problems', async () => {
    const result = await client.proposeDestination({ name: '', latitude: 0, longitude: 200 });
    expect(result.__typename).toBe('ProposalRejected');
    if (result.__typename === 'ProposalRejected')
      expect(result.problems.map((problem) => `${problem.field}:${problem.code}`)).toEqual([
        'name:REQUIRED',
        'longitude:OUT_OF_RANGE',
      ]);
  });

  it('follows CommandPending with commandStatus polling and returns the projected destination', async () => {
    stack.handlers.decide.pause();
    try {
      const before = sent.length;
      // Resumed once a status poll answered (PENDING, the decider being paused) and the next one is on its way.
      const resumed = untilSent('CommandStatus', sentCount('CommandStatus') + 2).then(() =>
        stack.handlers.decide.resume(),
      );
      const result = await client.proposeDestination(
        { name: 'Mons', latitude: 50.45, longitude: 3.95 },
        { waitForOutcome: { deadlineMs: 30_000, initialDelayMs: 50 } },
      );
      await resumed;
      expect(result).toMatchObject({ __typename: 'DestinationProposed', destination: { name: 'Mons' } });
      // The mutation answered CommandPending; the outcome came from polling.
      expect(sentSince(before)[0]).toBe('ProposeDestination');
      expect(sentSince(before).filter((operation) => operation === 'CommandStatus').length).toBeGreaterThanOrEqual(2);
      expect(sentSince(before).at(-1)).toBe('Destination');
    } finally {
      stack.handlers.decide.resume();
    }
  });

  it('returns CommandPending when not asked to wait, and throws DeadlineError when the outcome is late', async () => {
    stack.handlers.decide.pause();
    try {
      const pending = await client.proposeDestination({ name: 'Liège', latitude: 50.63, longitude: 5.57 });
      expect(pending.__typename).toBe('CommandPending');
      const before = sent.length;
      const late = client.proposeDestination(
        { name: 'Arlon', latitude: 49.68, longitude: 5.81 },
        { waitForOutcome: { deadlineMs: DEADLINE_MS + 400, initialDelayMs: 50 } },
      );
      await expect(late).rejects.toBeInstanceOf(DeadlineError);
      await expect(late).rejects.toMatchObject({ name: 'DeadlineError', correlationId: expect.any(String) });
      // It gave up after the mutation answered CommandPending and polling found the command still pending.
      expect(sentSince(before)[0]).toBe('ProposeDestination');
      expect(
        sentSince(before)
          .slice(1)
          .every((operation) => operation === 'CommandStatus'),
      ).toBe(true);
    } finally {
      stack.handlers.decide.resume();
      await stack.settled();
    }
  });

  it('throws CommandFailedError when the polled command ends FAILED', async () => {
    stack.handlers.decide.pause();
    stack.handlers.decide.failNext(DECIDE_ATTEMPTS); // the decide route's retries, as on AWS
    try {
      // Resumed once the mutation answered CommandPending and polling began.
      void untilSent('CommandStatus', sentCount('CommandStatus') + 1).then(() => stack.handlers.decide.resume());
      // Past the deadline, six attempts back off for about 6 s before the command is recorded FAILED.
      const failed = client.proposeDestination(
        { name: 'Wavre', latitude: 50.72, longitude: 4.6 },
        { waitForOutcome: { deadlineMs: 20_000, initialDelayMs: 50 } },
      );
      await expect(failed).rejects.toBeInstanceOf(CommandFailedError);
      await expect(failed).rejects.toMatchObject({ name: 'CommandFailedError', correlationId: expect.any(String) });
    } finally {
      stack.handlers.decide.resume();
      await stack.settled();
    }
  });

  it('turns a GraphQL error into GraphQLRequestError with its code', async () => {
    const error = await client.recentDestinations(99).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({
      name: 'GraphQLRequestError',
      code: 'BAD_USER_INPUT',
      errors: [{ message: 'limit must be between 1 and 50.', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('turns an unreachable server into NetworkError with the cause', async () => {
    const unreachable = createClient({ url: `http://127.0.0.1:${await freePort()}/graphql` });
    const error = await unreachable.recentDestinations().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ name: 'NetworkError', cause: expect.any(Error) });
  });

  it('turns a request past timeoutMs into NetworkError', async () => {
    const slow = createClient({ url: stack.graphqlUrl, timeoutMs: 100 });
    stack.handlers.decide.pause();
    try {
      const error = await slow
        .proposeDestination({ name: 'Dinant', latitude: 50.26, longitude: 4.91 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
    } finally {
      stack.handlers.decide.resume();
      await stack.settled();
    }
  });
});
