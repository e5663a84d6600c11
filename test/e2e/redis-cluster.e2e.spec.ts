/**
 * The whole write path with Redis in cluster mode, as on ElastiCache Serverless: the
 * stack starts a private 3-node cluster and the mutation's notification travels over
 * sharded pub/sub.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

// No URL: the stack starts its own cluster instead of using the run's single Redis.
const stack = useTestStack({ redisMode: 'cluster', redisUrl: undefined });

/** Sharded pub/sub calls served by the cluster's primaries, summed (from INFO commandstats). */
async function shardedPubSubCalls(): Promise<{ ssubscribe: number; spublish: number }> {
  const entry = new Redis(stack.redisUrl);
  const nodes = (await entry.call('CLUSTER', 'NODES')) as string;
  entry.disconnect();
  const addresses = nodes
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[1]!.split('@')[0]!);
  const totals = { ssubscribe: 0, spublish: 0 };
  for (const address of addresses) {
    const [host, port] = address.split(':');
    const node = new Redis({ host: host!, port: Number(port) });
    const stats = (await node.info('commandstats')).split('\n');
    node.disconnect();
    for (const command of ['ssubscribe', 'spublish'] as const) {
      const line = stats.find((entry) => entry.startsWith(`cmdstat_${command}:`));
      totals[command] += line ? Number(/calls=(\d+)/.exec(line)?.[1] ?? 0) : 0;
    }
  }
  return totals;
}

describe('proposeDestination with Redis in cluster mode (3 local nodes)', () => {
  it('answers proposals at both wait points through sharded pub/sub notifications', async () => {
    expect(stack.redisMode).toBe('cluster');
    const before = await shardedPubSubCalls();

    const accepted = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Bruges', latitude: 51.21, longitude: 3.22 },
    });
    expect(accepted.data?.['proposeDestination']).toMatchObject({
      __typename: 'DestinationProposed',
      destination: { name: 'Bruges' },
    });
    const checked = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Atlantis', latitude: 30, longitude: -40, waitFor: 'LOCATION_CHECKED' },
    });
    expect(checked.data?.['proposeDestination']).toMatchObject({
      __typename: 'DestinationProposed',
      destination: { name: 'Atlantis', status: 'LOCATION_REJECTED' },
    });

    const after = await shardedPubSubCalls();
    expect(after.ssubscribe).toBeGreaterThan(before.ssubscribe);
    expect(after.spublish).toBeGreaterThan(before.spublish);
  });
});
