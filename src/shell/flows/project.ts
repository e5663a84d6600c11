import { type DestinationEvent, isDestinationEvent } from '../../domain/messages.js';
import { withDestination } from '../../domain/recent-destinations.js';
import { project } from '../../handlers/project.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import { sleep } from '../runtime/deadline.js';
import { type FlowDependencies, notify } from './dependencies.js';

const RECENT_WRITE_ATTEMPTS = 20;

/** look up the read model and the events after it → project → store → notify. */
export async function runProject(deps: FlowDependencies, event: DestinationEvent): Promise<void> {
  const { correlationId } = event;
  const destinationId = event.data.destinationId;
  // 1. Look up the stored view and every event after it, so order of delivery does not matter.
  const stored = await deps.readModels.getDestination(destinationId);
  const after = (await deps.eventStore.readStream(event.streamId, stored?.version ?? 0)).filter(isDestinationEvent);
  // 2. Project.
  const decision = project(event, stored, after);
  // 3. Store: the destination (never backwards), then the recent list from whatever is current.
  if (decision.destination) await deps.readModels.putDestination(decision.destination);
  await refreshRecent(deps, destinationId);
  deps.log.info('projected', { correlationId, destinationId, eventType: event.type, version: decision.destination?.version ?? stored?.version });
  // 4. Notify the waiting mutation.
  await notify(deps, decision.notification);
}

/**
 * Brings the recent-destinations item in line with the stored destination, with
 * optimistic concurrency on the item, retried on conflict. The destination is read
 * after the list, never taken from this projector's own (possibly stale) fold: a
 * concurrent projector stores the destination before the list, so a stale projector
 * either sees the newer destination or loses the conditional write and rereads. That
 * keeps a rejected destination from being put back by a late, older projection.
 */
export async function refreshRecent(deps: FlowDependencies, destinationId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const recent = await deps.readModels.getRecent();
    const destination = await deps.readModels.getDestination(destinationId);
    if (!destination) return;
    const next = withDestination(recent, destination);
    if (!next) return;
    try {
      await deps.readModels.putRecent(next, recent.version);
      return;
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflictError) || attempt >= RECENT_WRITE_ATTEMPTS) throw error;
      await sleep(Math.random() * 5 * attempt); // jitter, so racing projectors spread out
    }
  }
}
