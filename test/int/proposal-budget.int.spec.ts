/**
 * The anonymous proposal budget on real Redis, single and a 3-node cluster (as ElastiCache
 * Serverless runs): the per-visitor and the global counts trip, concurrent takes never
 * overspend, and the two keys of the script share a slot (a cluster refuses them otherwise).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisConnection, type RedisMode } from '../../src/shell/redis/connection.js';
import { createProposalBudget } from '../../src/shell/redis/proposal-budget.js';
import { startRedisCluster } from '../../local/redis-cluster.js';
import { startRedisServer } from '../../local/redis.js';
import type { RunningRedis } from '../../local/redis.js';
import { silentLog } from '../support/stores.js';

const servers: Record<RedisMode, RunningRedis | undefined> = { single: undefined, cluster: undefined };
const connections: RedisConnection[] = [];
beforeAll(async () => {
  [servers.single, servers.cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
}, 60_000);
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  await Promise.all([servers.single?.stop(), servers.cluster?.stop()]);
});

describe.each(['single', 'cluster'] as const)('the proposal budget on Redis (%s)', (mode) => {
  const budgetOf = (limits: { perVisitor: number; global: number; windowSeconds: number }) => {
    const redis = connectRedis(servers[mode]!.url, 'budget-test', silentLog, mode);
    connections.push(redis);
    return createProposalBudget({ redis, namespace: `test-${randomUUID()}`, limits, timeoutMs: 2000 });
  };

  it('given a visitor, when it takes more than its budget, then the extra take is refused with the wait until the window ends', async () => {
    const budget = budgetOf({ perVisitor: 3, global: 100, windowSeconds: 30 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await budget.take('192.0.2.1'));
    expect(answers.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(answers[3]).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    const wait = (answers[3] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(30);
    // Another visitor has its own budget.
    expect(await budget.take('192.0.2.2')).toEqual({ allowed: true });
  });

  it('given many visitors at once, then together they get exactly the global budget, never more', async () => {
    const budget = budgetOf({ perVisitor: 2, global: 10, windowSeconds: 30 });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => budget.take(`198.51.100.${i % 20}`)));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(10);
  });

  it('given a window that has passed, then the visitor may propose again', async () => {
    const budget = budgetOf({ perVisitor: 1, global: 100, windowSeconds: 1 });
    expect(await budget.take('203.0.113.5')).toEqual({ allowed: true });
    expect((await budget.take('203.0.113.5')).allowed).toBe(false);
    await expect
      .poll(async () => (await budget.take('203.0.113.5')).allowed, { timeout: 5000, interval: 200 })
      .toBe(true);
  });
});
