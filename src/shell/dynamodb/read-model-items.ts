/**
 * How read models are laid out as items of the read-model table. Shared by the read-model
 * store and by the event store, which writes a destination's view inline, in the same
 * transaction as the event that changed it.
 */
import type { Destination } from '../../domain/destination.js';
import { isTraceCarrier, type TraceCarrier } from '../../domain/trace.js';
import type { Traced } from '../../ports/index.js';
import { DESTINATION_KEY_PREFIX } from '../../topology/topology.js';

export const destinationKey = (id: string): string => `${DESTINATION_KEY_PREFIX}${id}`;

/** `trace` (the writer's creation context) is an attribute of its own, beside the view, and only when there is one. */
export const destinationItem = (destination: Destination, trace?: TraceCarrier): Record<string, unknown> => ({
  pk: destinationKey(destination.id),
  version: destination.version,
  destination,
  ...(trace ? { trace } : {}),
});

/** `value` with the trace its item stores; a damaged one is dropped (a consumer links to nothing rather than fail). */
export function traced<T>(value: T, item: Record<string, unknown>): Traced<T> {
  const trace = item['trace'];
  return isTraceCarrier(trace) ? { value, trace } : { value };
}

/**
 * The condition under which a destination's view at `destination.version` may be written:
 * the stored view is the one it was folded from, so a view never skips or goes backwards.
 */
export const destinationFollows = (destination: Destination, previousVersion: number) =>
  previousVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previousVersion } };
