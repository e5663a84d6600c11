/**
 * The orders in which at-least-once delivery may hand a handler its messages, for the
 * redelivery tests: seeded, so a failing shuffle can be replayed.
 */

/** A small seeded generator. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Randomly interleaves sequences, keeping each one's own order. */
export function interleave<T>(sequences: T[][], next: () => number): T[] {
  const queues = sequences.map((sequence) => [...sequence]).filter((queue) => queue.length > 0);
  const merged: T[] = [];
  while (queues.length > 0) {
    const index = Math.floor(next() * queues.length);
    merged.push(queues[index]!.shift()!);
    if (queues[index]!.length === 0) queues.splice(index, 1);
  }
  return merged;
}

export const shuffle = <T>(items: T[], next: () => number): T[] =>
  interleave(
    items.map((item) => [item]),
    next,
  );

/**
 * Stream delivery: each message 3 times; per partition key, every copy of the key's messages
 * keeps stream order (a retry re-sends a batch from its first failed record, never a later
 * record before an earlier one's first delivery), while copies and keys interleave freely;
 * then cut into batches of 1–5.
 */
export function streamDeliveries<T>(messages: T[], keyOf: (message: T) => string, next: () => number): T[][] {
  const byKey = new Map<string, T[]>();
  for (const message of messages) byKey.set(keyOf(message), [...(byKey.get(keyOf(message)) ?? []), message]);
  const order = interleave(
    [...byKey.values()].flatMap((keyMessages) => [keyMessages, keyMessages, keyMessages]),
    next,
  );
  const batches: T[][] = [];
  for (let i = 0; i < order.length;) {
    const size = 1 + Math.floor(next() * 5);
    batches.push(order.slice(i, i + size));
    i += size;
  }
  return batches;
}

/** Runs deliveries in the given order, up to `concurrency` at a time (EventBridge makes no order promise). */
export async function deliverConcurrently(deliveries: (() => Promise<unknown>)[], concurrency: number): Promise<void> {
  for (let i = 0; i < deliveries.length; i += concurrency)
    await Promise.all(deliveries.slice(i, i + concurrency).map((deliver) => deliver()));
}

/** A run of proposals: five places in a country, two in none, and a command that breaks the rules. */
export const RUN = [
  { name: 'Kyoto', latitude: 35.01, longitude: 135.77 },
  { name: 'Open sea', latitude: 30, longitude: -40 },
  { name: 'Quito', latitude: -0.18, longitude: -78.47 },
  { name: 'Hobart', latitude: -42.88, longitude: 147.33 },
  { name: 'Nowhere', latitude: -60, longitude: -140 },
  { name: 'Nairobi', latitude: -1.29, longitude: 36.82 },
  { name: 'Bergen', latitude: 60.39, longitude: 5.32 },
  { name: 'Bad command', latitude: 95, longitude: 0 }, // a command that breaks the rules reaches the decider anyway
];

/** What a single in-order delivery of RUN leaves: each destination's name and status, and the listed names. */
export const RUN_DESTINATIONS = [
  'Bergen:LOCATION_VALIDATED',
  'Hobart:LOCATION_VALIDATED',
  'Kyoto:LOCATION_VALIDATED',
  'Nairobi:LOCATION_VALIDATED',
  'Nowhere:LOCATION_REJECTED',
  'Open sea:LOCATION_REJECTED',
  'Quito:LOCATION_VALIDATED',
];
export const RUN_LISTED = ['Bergen', 'Hobart', 'Kyoto', 'Nairobi', 'Quito'];
