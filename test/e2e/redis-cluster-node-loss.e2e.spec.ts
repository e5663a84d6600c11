/**
 * Redis in cluster mode losing one primary and getting it back, as ElastiCache's nodes can:
 * its redis-server is killed (SIGKILL) with proposals in flight and started again on the
 * same port with its nodes.conf, so it rejoins with its slots. Every proposal, before, during
 * and after, gets a definite answer (its destination, or CommandPending whose outcome
 * commandStatus then tells); the sharded subscribers resubscribe on the restarted node by
 * themselves, so notifications on its slots are heard again; nothing is lost or doubled.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { correlationIdForIdempotencyKey } from '../../src/domain/streams.js';
import { notificationChannel } from '../../src/shell/redis/channels.js';
import { connectRedis, type RedisConnection } from '../../src/shell/redis/connection.js';
import { createRedisPublisher } from '../../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';
import { type RunningRedisCluster, startRedisCluster } from '../../local/redis-cluster.js';
import { auditProposals } from '../support/audit.js';
import { primaryPortOf } from '../support/cluster-slots.js';
import { eventually } from '../support/eventually.js';
import { useTestStack } from '../support/stack.js';
import { silentLog } from '../support/stores.js';
import { gql, type GraphQLResponse, PROPOSE } from './client.js';

let cluster: RunningRedisCluster;
// Registered first, so it runs after the stack has stopped.
afterAll(() => cluster?.stop());
const stack = useTestStack(async () => {
  // Longer than the outage can last on a busy machine: the drill is a node lost and back, not
  // a node declared failed (without replicas, that would take every slot down).
  cluster = await startRedisCluster(3, { nodeTimeoutMs: 120_000 });
  return { redisMode: 'cluster', redisUrl: cluster.url, mutationDeadlineMs: 5000 };
});

/** A plain connection to one node, for asking it about itself. */
const direct = (url: string) => new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });

describe('a Redis cluster node killed with proposals in flight, then restarted', () => {
  it('answers every proposal, resubscribes on the restarted node, and loses nothing', async () => {
    const victim = cluster.nodes[1]!;
    const admin = direct(cluster.nodes[0]!.url);
    const onVictim = direct(victim.url);
    const connections: RedisConnection[] = [];
    try {
      /** Idempotency keys whose notification channels land on the victim's slots (`true`) or on another node's. */
      const keysFor = async (phase: string, pattern: readonly boolean[]): Promise<string[]> => {
        const keys: string[] = [];
        for (let n = 0; keys.length < pattern.length; n++) {
          const key = `${phase}-${n}`;
          const channel = notificationChannel(stack.namespace, correlationIdForIdempotencyKey(key));
          const lands = (await primaryPortOf(admin, channel)) === victim.port;
          if (lands === pattern[keys.length]) keys.push(key);
        }
        return keys;
      };
      const propose = (idempotencyKey: string, i: number) =>
        gql(stack.graphqlUrl, PROPOSE, {
          input: {
            name: `Node drill ${idempotencyKey}`,
            latitude: 40 + i * 0.5,
            longitude: 5 + i * 0.5,
            idempotencyKey,
          },
        });
      const mixed = [true, false, true, false, true, false];
      const answers: GraphQLResponse[] = [];

      // Before: notifications answer, on every node.
      answers.push(...(await Promise.all((await keysFor('before', mixed)).map(propose))));
      for (const answer of answers) expect(answer.data?.['proposeDestination'].__typename).toBe('DestinationProposed');

      // A listener of our own (the production subscriber, its own cluster connection), subscribed
      // on the victim's slots before it goes: it must hear that channel again after the restart.
      const listenerConnection = connectRedis(cluster.url, 'drill-listener', silentLog, 'cluster', {
        subscriber: true,
      });
      const publisherConnection = connectRedis(cluster.url, 'drill-publisher', silentLog, 'cluster');
      connections.push(listenerConnection, publisherConnection);
      const drillNamespace = `${stack.namespace}-drill`;
      const listener = createRedisSubscriber({
        redis: listenerConnection,
        namespace: drillNamespace,
        ackTimeoutMs: 5000,
      });
      let heldId = '';
      for (let n = 0; !heldId; n++) {
        const candidate = `held-${n}`;
        if ((await primaryPortOf(admin, notificationChannel(drillNamespace, candidate))) === victim.port)
          heldId = candidate;
      }
      const held = await listener.subscribe(heldId);

      // During: proposals written and waiting for their decision when the node dies.
      stack.handlers.decide.pause();
      let during!: Promise<GraphQLResponse[]>;
      try {
        const duringKeys = await keysFor('during', mixed);
        during = Promise.all(duringKeys.map(propose));
        await eventually(
          async () => {
            for (const key of duringKeys) {
              const status = await gql(
                stack.graphqlUrl,
                `{ commandStatus(correlationId: "${correlationIdForIdempotencyKey(key)}") { state } }`,
              );
              if (status.data?.['commandStatus']?.state !== 'PENDING') return false;
            }
            return true;
          },
          { what: 'every in-flight proposal written and undecided' },
        );
        await victim.kill();
      } finally {
        stack.handlers.decide.resume();
      }
      // Down: proposals made while the node is away (those on its slots answer from the durable outcome).
      answers.push(...(await Promise.all((await keysFor('down', mixed)).map(propose))));

      // The node comes back on its port with its nodes.conf; the stack is not told.
      await victim.restart();
      await eventually(
        async () => {
          for (const node of cluster.nodes) {
            const redis = direct(node.url);
            try {
              const info = String(await redis.call('CLUSTER', 'INFO'));
              if (!info.includes('cluster_state:ok') || !info.includes('cluster_known_nodes:3')) return false;
            } finally {
              redis.disconnect();
            }
          }
          return true;
        },
        { what: 'the cluster whole again', timeoutMs: 30_000 },
      );
      answers.push(...(await during));

      // Our listener resubscribed its channel on the restarted node by itself, and hears it.
      const shardChannels = async (pattern: string) =>
        (await onVictim.call('PUBSUB', 'SHARDCHANNELS', pattern)) as string[];
      await eventually(async () => (await shardChannels(`${drillNamespace}:*`)).length === 1, {
        what: "the listener's channel subscribed again on the restarted node",
        timeoutMs: 30_000,
      });
      const notification = { type: 'Rejected', correlationId: heldId, problems: [] } as const;
      await createRedisPublisher({ redis: publisherConnection, namespace: drillNamespace, timeoutMs: 5000 }).publish(
        notification,
      );
      expect(await held.next(Date.now() + 10_000)).toEqual(notification);
      await held.close();

      // After: the stack's own subscriber subscribes on the restarted node, and the decider publishes there.
      const [afterKey] = await keysFor('after-held', [true]);
      const afterId = correlationIdForIdempotencyKey(afterKey!);
      const afterChannel = notificationChannel(stack.namespace, afterId);
      const watcher = createRedisSubscriber({
        redis: listenerConnection,
        namespace: stack.namespace,
        ackTimeoutMs: 5000,
      });
      const watching = await watcher.subscribe(afterId);
      stack.handlers.decide.pause();
      let pending!: Promise<GraphQLResponse>;
      try {
        pending = propose(afterKey!, 0);
        // Two subscribers on the channel now: the watcher and the mutation's.
        await eventually(
          async () =>
            Number(((await onVictim.call('PUBSUB', 'SHARDNUMSUB', afterChannel)) as [string, number])[1]) === 2,
          { what: "the mutation's channel subscribed on the restarted node" },
        );
      } finally {
        stack.handlers.decide.resume();
      }
      const heard = await watching.next(Date.now() + 10_000);
      expect(heard).toMatchObject({ type: 'Projected', correlationId: afterId, step: 'PROPOSED' });
      const answered = await pending;
      expect(answered.data?.['proposeDestination']).toMatchObject({
        __typename: 'DestinationProposed',
        correlationId: afterId,
        destination: heard?.type === 'Projected' ? { id: heard.destination.id } : {},
      });
      await watching.close();
      answers.push(answered);
      answers.push(...(await Promise.all((await keysFor('after', mixed)).map(propose))));

      // Every proposal answered definitely: its destination, or CommandPending (an outage's share).
      expect(answers).toHaveLength(25);
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(['DestinationProposed', 'CommandPending']).toContain(answer.data?.['proposeDestination'].__typename);
      }
      // Nothing lost or doubled, and nothing left subscribed on the restarted node once every request ended.
      await stack.settled();
      expect(await auditProposals(stack, answers)).toEqual([]);
      await eventually(async () => (await shardChannels(`${stack.namespace}:*`)).length === 0, {
        what: 'no channel of an ended request left subscribed on the restarted node',
      });
    } finally {
      stack.handlers.decide.resume();
      admin.disconnect();
      onVictim.disconnect();
      for (const connection of connections) connection.disconnect();
    }
  }, 120_000);
});
