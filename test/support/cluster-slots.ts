import type { Redis } from 'ioredis';

/**
 * The port of the primary that owns `key`'s hash slot (a channel's, for sharded pub/sub), as `node` sees the
 * cluster.
 */
export async function primaryPortOf(node: Redis, key: string): Promise<number> {
  const slot = Number(await node.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]]][];
  const owner = ranges.find(([first, last]) => slot >= first && slot <= last);
  if (!owner) throw new Error(`no node owns slot ${slot}`);
  return owner[2][1];
}
