import { evolve } from '../../domain/destination.js';
import type { DestinationProposed } from '../../domain/messages.js';
import { projected } from '../../domain/notifications.js';
import { validateGeolocation } from '../../handlers/validate-geolocation.js';
import { type FlowDependencies, notify } from './dependencies.js';

/**
 * decide from the view the event implies → append the outcome event and the checked view
 * in one transaction → notify. The view the decider wrote with DestinationProposed is
 * exactly `evolve(null, event)`, so it is not read: the append is conditional on the
 * stored view still being that version, which makes the write the look-up. A redelivery
 * (the location already checked) conflicts there, and the stored answer is told again.
 */
export async function runValidateGeolocation(deps: FlowDependencies, event: DestinationProposed): Promise<void> {
  const { correlationId } = event;
  const { destinationId } = event.data;
  const proposed = evolve(null, event);
  const outcome = validateGeolocation(event, proposed, deps.clock());
  if (!outcome) throw new Error(`a freshly proposed destination ${destinationId} must be checked`);
  const checked = evolve(proposed, outcome);
  const [appended] = await deps.eventStore.appendUnits([
    { records: [outcome], destinations: [{ destination: checked, previousVersion: proposed.version }] },
  ]);
  if (appended === 'conflict') {
    const stored = await deps.readModels.getDestination(destinationId);
    deps.log.info('location already checked; its answer is told again', { correlationId, status: stored?.status });
    if (stored && stored.status !== 'PROPOSED') await notify(deps, projected(correlationId, stored));
    return;
  }
  deps.log.info(outcome.type === 'GeolocationValidationSucceeded' ? 'location validated' : 'location rejected', {
    correlationId,
    destinationId,
    ...(outcome.type === 'GeolocationValidationSucceeded'
      ? { country: outcome.data.country }
      : { reason: outcome.data.reason }),
  });
  await notify(deps, projected(correlationId, checked));
}
