import { fold } from '../../domain/destination.js';
import { type DestinationProposed, isDestinationEvent } from '../../domain/messages.js';
import { validateGeolocation } from '../../handlers/validate-geolocation.js';
import { appendOnce } from './append-once.js';
import type { FlowDependencies } from './dependencies.js';

/** look up the destination stream → validate → append the outcome event. The projection notifies. */
export async function runValidateGeolocation(deps: FlowDependencies, event: DestinationProposed): Promise<void> {
  const { correlationId } = event;
  // 1. Look up the destination's state from its stream.
  const current = fold(null, (await deps.eventStore.readStream(event.streamId)).filter(isDestinationEvent));
  // 2. Decide.
  const outcome = validateGeolocation(event, current, deps.clock());
  if (!outcome) {
    deps.log.info('location already checked; redelivery ignored', { correlationId });
    return;
  }
  // 3. Append at the next stream position; a conflict means another delivery appended first.
  if (!(await appendOnce(deps.eventStore, [outcome]))) {
    deps.log.info('location checked concurrently by another delivery', { correlationId });
    return;
  }
  deps.log.info(outcome.type === 'GeolocationValidationSucceeded' ? 'location validated' : 'location rejected', {
    correlationId,
    destinationId: outcome.data.destinationId,
    ...(outcome.type === 'GeolocationValidationSucceeded' ? { country: outcome.data.country } : { reason: outcome.data.reason }),
  });
}
