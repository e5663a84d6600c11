/**
 * `npm run rebuild-projections` (as a child process) against the event table of a stack
 * that took a mixed run: the rebuilt read models equal the live ones.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTestStack } from '../support/stack.js';
import { type Item, scanAll } from '../support/tables.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack();

const rebuild = (...args: string[]) =>
  runCli('src/shell/ops/rebuild-projections-cli.ts', ['--events', stack.tables.events, ...args], {
    DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
  });

describe('rebuilding the read models from the event table', () => {
  it('replays every event into a fresh table that equals the live read models', async () => {
    const key = randomUUID();
    const inputs = [
      { name: 'Lisbon', latitude: 38.72, longitude: -9.14 },
      { name: 'Open sea', latitude: 30, longitude: -40 }, // location rejected: leaves the recent list
      { name: 'Tromsø', latitude: 69.65, longitude: 18.96, waitFor: 'LOCATION_CHECKED' },
      { name: 'Kraków', latitude: 50.06, longitude: 19.94, idempotencyKey: key },
      { name: 'Kraków', latitude: 50.06, longitude: 19.94, idempotencyKey: key }, // the same command again
      { name: '', latitude: 0, longitude: 0 }, // rejected: stores nothing
      ...Array.from({ length: 8 }, (_, i) => ({ name: `Town ${i}`, latitude: 45 + i, longitude: 5 + i })),
    ];
    await Promise.all(inputs.map((input) => gql(stack.graphqlUrl, PROPOSE, { input })));
    await stack.settled();

    const into = `${stack.tables.events}-rebuilt`;
    const { code, stdout, stderr } = await rebuild('--into', into, '--compare', stack.tables.readModels);
    expect(code).toBe(0);
    expect(stdout).toContain(`into ${into}: 12 destinations, 11 recent`);
    expect(stderr).toContain(`rebuilding ${into}: destinations written 12/12 (100%)`);
    expect(stdout).toContain(`identical to ${stack.tables.readModels}`);

    // The test's own comparison, item by item.
    const [live, rebuilt] = await Promise.all([
      scanAll(stack.dynamodbEndpoint, stack.tables.readModels),
      scanAll(stack.dynamodbEndpoint, into),
    ]);
    // The live table also holds the homepage's publication history, which is no projection of the events.
    const destinations = (items: Item[]) =>
      items
        .filter((item) => String(item['pk']).startsWith('destination#'))
        .sort((a, b) => (a['pk'] < b['pk'] ? -1 : 1));
    const recent = (items: Item[]) => items.find((item) => item['pk'] === 'recent-destinations')?.['entries'];
    expect(destinations(rebuilt)).toEqual(destinations(live));
    expect(destinations(live)).toHaveLength(12);
    expect(recent(rebuilt)).toEqual(recent(live));
    expect(recent(live)!.map((entry: { name: string }) => entry.name)).not.toContain('Open sea');
  });

  it('reports each difference and exits 1 when the compared read models disagree', async () => {
    const before = `${stack.tables.events}-before`;
    expect(await rebuild('--into', before)).toMatchObject({ code: 0 });
    const { data } = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Newcomer', latitude: 41.9, longitude: 12.5 },
    });
    await stack.settled();
    const id = data?.['proposeDestination'].destination.id;
    const failed = await rebuild('--into', `${stack.tables.events}-after`, '--compare', before);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stdout).toContain(`destination#${id}: only in ${stack.tables.events}-after`);
    expect(failed.stdout).toContain('recent-destinations: differs');
    expect(failed.stdout).toContain(`2 difference(s) from ${before}`);
  });

  it('refuses to write into a table that exists, so live read models are never overwritten', async () => {
    const failed = await rebuild('--into', stack.tables.readModels);
    expect(failed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`TargetTableExistsError: table ${stack.tables.readModels} already exists`),
    });
  });
});
