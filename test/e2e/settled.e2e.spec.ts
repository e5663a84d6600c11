/**
 * `settled()` is causal: it waits for every delivery that what was written caused, however
 * slow, and past its deadline it names what is still in flight instead of returning.
 */
import { describe, expect, it } from 'vitest';
import { StackNotSettledError } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack({ mutationDeadlineMs: 5000, readModelBatchingWindowMs: 100 });

const proposeAccepted = async (name: string, latitude: number, longitude: number): Promise<string> => {
  const { data } = await gql(stack.graphqlUrl, PROPOSE, { input: { name, latitude, longitude } });
  expect(data?.['proposeDestination']).toMatchObject({ __typename: 'DestinationProposed' });
  return data?.['proposeDestination'].destination.id as string;
};
const statusOf = async (id: string) =>
  (await gql(stack.graphqlUrl, `{ destination(id: "${id}") { status } }`)).data?.['destination'].status as string;
const recentIds = async () =>
  (
    (await gql(stack.graphqlUrl, '{ recentDestinations(limit: 50) { id } }')).data?.['recentDestinations'] as {
      id: string;
    }[]
  ).map((d) => d.id);

describe('settled()', () => {
  it('does not return while a bus delivery is paused, names it at the deadline, and returns once it finished', async () => {
    const checker = stack.handlers['validate-geolocation'];
    checker.pause();
    try {
      const id = await proposeAccepted('Gouda', 52.01, 4.71);
      const error = await stack.settled({ deadlineMs: 1500 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StackNotSettledError);
      expect((error as StackNotSettledError).inFlight).toContain(
        'validate-geolocation: 1 bus delivery (function paused)',
      );
      expect((error as Error).message).toMatch(
        /still in flight: .*validate-geolocation: 1 bus delivery \(function paused\)/,
      );
      expect(await statusOf(id)).toBe('PROPOSED');
    } finally {
      checker.resume();
    }
    await stack.settled();
    expect(stack.inFlight()).toEqual([]);
  });

  it('a settle under way waits for the slow delivery: it resolves after the resume, with its effects in place', async () => {
    const checker = stack.handlers['validate-geolocation'];
    const order: string[] = [];
    checker.pause();
    let settling: Promise<void> | undefined;
    let id: string;
    try {
      id = await proposeAccepted('Zwolle', 52.52, 6.09);
      settling = stack.settled().then(() => void order.push('settled'));
      // Everything but the paused delivery is done (streams read, other handlers idle): a
      // settle that guessed from quiet would have returned by now.
      await eventually(
        () => {
          const inFlight = stack.inFlight();
          return inFlight.length === 1 && inFlight[0] === 'validate-geolocation: 1 bus delivery (function paused)';
        },
        { what: 'only the paused delivery in flight' },
      );
      expect(order).toEqual([]);
      order.push('resumed');
    } finally {
      checker.resume();
    }
    await settling;
    expect(order).toEqual(['resumed', 'settled']);
    expect(await statusOf(id)).toBe('LOCATION_VALIDATED');
    // The change the check wrote went on through the read-model stream: the recent list has it.
    expect(await recentIds()).toContain(id);
  });

  it('does not return while a stream mapping is held, and names the function and its records', async () => {
    stack.renderer.pause();
    let id: string;
    try {
      id = await proposeAccepted('Assen', 52.99, 6.56);
      // The render's record comes two read-model hops (and batching windows) after the answer: wait until it is
      // held, so the short deadline below is about settle() and not about how fast the folds ran.
      const heldRender = /^render-homepage: \d+ stream record\(s\) \(function paused\)$/;
      await eventually(() => stack.inFlight().some((line) => heldRender.test(line)), {
        what: "the recent list's change held at the paused renderer",
      });
      const error = await stack.settled({ deadlineMs: 1500 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StackNotSettledError);
      expect(
        (error as StackNotSettledError).inFlight.some((line) =>
          /^render-homepage: \d+ stream record\(s\) \(function paused\)$/.test(line),
        ),
      ).toBe(true);
    } finally {
      stack.renderer.resume();
    }
    await stack.settled();
    expect(stack.inFlight()).toEqual([]);
    expect(await statusOf(id)).toBe('LOCATION_VALIDATED');
    const page = await (await fetch(stack.homepageUrl)).text();
    expect(page).toContain('Assen');
  });

  it('resetControls() resumes every paused function and disarms every fault: a test failed half-way leaves nothing', async () => {
    const checker = stack.handlers['validate-geolocation'];
    checker.pause();
    checker.failNext(50);
    stack.renderer.pause();
    stack.fanout.pause();
    stack.bus.faults.refuseEntries(() => true);
    stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'throttling', count: 50 });

    stack.resetControls();

    const id = await proposeAccepted('Zwolle', 52.51, 6.09);
    await stack.settled({ deadlineMs: 20_000 });
    expect(await statusOf(id)).toBe('LOCATION_VALIDATED');
    expect(await (await fetch(stack.homepageUrl)).text()).toContain('Zwolle');
    expect(stack.dynamodbFaults.raised).toEqual({});
  });
});
