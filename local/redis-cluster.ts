/**
 * A private Redis cluster on loopback ports: the local twin of ElastiCache Serverless,
 * which runs in cluster mode only. Slots are split evenly between the primaries
 * (no replicas); the nodes keep their cluster state in a temporary folder removed on stop.
 * A node can be killed and started again on its ports, rejoining with its nodes.conf.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { stopChild, waitUntil } from './child-process.js';
import { freePort } from './net.js';
import { ping, type RunningRedis } from './redis.js';

const SLOTS = 16384;

export interface RunningRedisCluster extends RunningRedis {
  /** One URL per node; any of them bootstraps a cluster client. */
  readonly nodeUrls: readonly string[];
  /** The nodes, each of which can be lost and brought back (drills of a lost shard). */
  readonly nodes: readonly RedisClusterNode[];
}

export interface RedisClusterNode {
  /** Where clients reach it (its front, when there is one). */
  readonly url: string;
  /** Its own port (not its front's). */
  readonly port: number;
  /** SIGKILL, as a crashed host: no goodbye to clients or to the other nodes. Resolves once it has exited. */
  kill(): Promise<void>;
  /**
   * Starts it again on the same ports with its nodes.conf, so it rejoins with its node id and
   * its slots (its data is gone: persistence is off). Resolves once it answers PING.
   */
  restart(): Promise<void>;
}

export interface RedisClusterOptions {
  /**
   * Puts a front (a proxy) before each node: given the node's port, returns the port clients
   * should use instead. The node announces that port, so clients following the cluster's
   * topology reach every node through its front.
   */
  readonly front?: (nodePort: number) => Promise<number>;
  /**
   * How long a node may be unreachable before the others mark it failed (Redis's
   * cluster-node-timeout, 15 s by default). Without replicas a failed primary takes the whole
   * cluster down (its slots are uncovered) until long after it is back, so a drill that loses
   * a node on a busy machine sets it longer than its outage can last.
   */
  readonly nodeTimeoutMs?: number;
}

export async function startRedisCluster(
  nodes = 3,
  { front, nodeTimeoutMs }: RedisClusterOptions = {},
): Promise<RunningRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'visitplannr-redis-cluster-'));
  // The cluster bus needs a second port per node; asking for it explicitly avoids port+10000 collisions.
  const ports = await Promise.all(
    Array.from({ length: nodes }, async () => ({ client: await freePort(), bus: await freePort() })),
  );
  const announced = await Promise.all(ports.map(({ client }) => (front ? front(client) : Promise.resolve(client))));
  const spawnNode = ({ client, bus }: { client: number; bus: number }, i: number): ChildProcess =>
    spawn(
      'redis-server',
      [
        '--port',
        String(client),
        '--cluster-port',
        String(bus),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${client}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
        ...(nodeTimeoutMs === undefined ? [] : ['--cluster-node-timeout', String(nodeTimeoutMs)]),
        ...(front ? ['--cluster-announce-port', String(announced[i]), '--cluster-announce-bus-port', String(bus)] : []),
      ],
      { stdio: 'ignore' },
    );
  const children = ports.map(spawnNode);
  const nodeUrls = announced.map((port) => `redis://127.0.0.1:${port}`);
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dir, { recursive: true, force: true });
  };
  // Readiness is asked of the nodes themselves, not of their fronts.
  const answers = (port: number) =>
    waitUntil(
      async () => {
        if (!(await ping(`redis://127.0.0.1:${port}`, 200))) throw new Error('no PONG yet');
      },
      10_000,
      `redis cluster node 127.0.0.1:${port}`,
    );
  try {
    await Promise.all(ports.map(({ client }) => answers(client)));
    await formCluster(ports);
    return {
      url: nodeUrls[0]!,
      nodeUrls,
      nodes: ports.map((nodePorts, i) => ({
        url: nodeUrls[i]!,
        port: nodePorts.client,
        async kill() {
          const child = children[i]!;
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGKILL');
          await exited;
        },
        async restart() {
          const child = children[i]!;
          if (child.exitCode === null && child.signalCode === null) throw new Error(`node ${nodeUrls[i]} still runs`);
          children[i] = spawnNode(nodePorts, i);
          await answers(nodePorts.client);
        },
      })),
      started: true,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What `redis-cli --cluster create` does, without needing redis-cli: assign slot ranges, then meet. */
async function formCluster(ports: readonly { client: number; bus: number }[]): Promise<void> {
  const admins = ports.map(
    ({ client }) => new Redis({ host: '127.0.0.1', port: client, lazyConnect: true, maxRetriesPerRequest: 1 }),
  );
  try {
    const share = Math.ceil(SLOTS / ports.length);
    await Promise.all(
      admins.map((admin, i) =>
        admin.call('CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(SLOTS, (i + 1) * share) - 1)),
      ),
    );
    await Promise.all(
      ports
        .slice(1)
        .map(({ client, bus }) => admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(client), String(bus))),
    );
    await waitUntil(
      async () => {
        for (const admin of admins) {
          const info = String(await admin.call('CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok') || !info.includes(`cluster_known_nodes:${ports.length}`))
            throw new Error(info);
        }
      },
      15_000,
      'redis cluster formation',
    );
  } finally {
    admins.forEach((admin) => admin.disconnect());
  }
}
