/**
 * The read models from the event history alone: every destination stream folded from its
 * first event, and the recent-destinations list built from the results. Pure; the shell
 * reads the event table and writes the result to fresh tables.
 */
import { type Destination, fold } from './destination.js';
import type { DestinationEvent } from './messages.js';
import { emptyRecent, type RecentDestinations, withDestination } from './recent-destinations.js';

export interface RebuiltReadModels {
  readonly destinations: readonly Destination[];
  readonly recent: RecentDestinations;
}

export function rebuildReadModels(events: readonly DestinationEvent[]): RebuiltReadModels {
  const streams = new Map<string, DestinationEvent[]>();
  for (const event of events) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  const destinations = [...streams.values()]
    .map((stream) =>
      fold(
        null,
        [...stream].sort((a, b) => a.version - b.version),
      ),
    )
    .filter((destination): destination is Destination => destination !== null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // withDestination keeps the newest visitable ones whatever the order they are offered in.
  const recent = destinations.reduce<RecentDestinations>(
    (list, destination) => withDestination(list, destination) ?? list,
    emptyRecent,
  );
  return { destinations, recent };
}
