import { evolve } from '../../domain/destination.js';
import type { DestinationProposed } from '../../domain/messages.js';
import { projected } from '../../domain/notifications.js';
import { validateGeolocation } from '../../handlers/validate-geolocation.js';
import { type FlowDependencies, notify } from './dependencies.js';

export class DestinationViewMissingError extends Error {
  override readonly name = 'DestinationViewMissingError';
  constructor(readonly destinationId: string) {
    super(`no stored view of destination ${destinationId}, though it is written with the event that proposed it`);
  }
}

/**
 * look up the destination's view → validate → append the outcome event and the new view
 * in one transaction → notify. The view is written with every event of its stream, so it
 * is the stream's state; a redelivery finds the location checked and tells the answer again.
 */
export async function runValidateGeolocation(deps: FlowDependencies, event: DestinationProposed): Promise<void> {
  const { correlationId } = event;
  const { destinationId } = event.data;
  // 1. Look up the destination's state.
  const current = await deps.readModels.getDestination(destinationId);
  if (!current) throw new DestinationViewMissingError(destinationId);
  // 2. Decide.
  const outcome = validateGeolocation(event, current, deps.clock());
  if (!outcome) {
    deps.log.info('location already checked; its answer is told again', { correlationId });
    await notify(deps, projected(correlationId, current));
    return;
  }
  // 3. Append at the next stream position with the view folded from it; a conflict means another delivery appended first.
  const next = evolve(current, outcome);
  const [appended] = await deps.eventStore.appendUnits([{ records: [outcome], destinations: [{ destination: next, previousVersion: current.version }] }]);
  if (appended === 'conflict') {
    deps.log.info('location checked concurrently by another delivery', { correlationId });
    const stored = await deps.readModels.getDestination(destinationId);
    if (stored) await notify(deps, projected(correlationId, stored));
    return;
  }
  deps.log.info(outcome.type === 'GeolocationValidationSucceeded' ? 'location validated' : 'location rejected', {
    correlationId,
    destinationId,
    ...(outcome.type === 'GeolocationValidationSucceeded' ? { country: outcome.data.country } : { reason: outcome.data.reason }),
  });
  // 4. Notify a caller waiting for the location check.
  await notify(deps, projected(correlationId, next));
}
