/**
 * Recording stand-ins for the two ports that only tell the outside world (Redis, CloudFront):
 * they keep what they were asked, so a test asserts what a handler told and invalidated.
 *
 * @example
 * const publisher = createRecordingPublisher();
 * await publisher.publish(notification);
 * publisher.published; // [notification]
 */
import type { Notification } from '../../domain/notifications.js';
import type { CdnInvalidator, InvalidationRequest, NotificationPublisher } from '../../ports/index.js';
import { asStored, later } from './as-stored.js';

export interface RecordingPublisher extends NotificationPublisher {
  /** Every notification published, in publish order (copies, as they would leave over the wire). */
  readonly published: readonly Notification[];
}

export function createRecordingPublisher(): RecordingPublisher {
  const published: Notification[] = [];
  return {
    published,
    publish: (notification) => later(() => void published.push(asStored(notification))),
  };
}

export interface RecordingCdn extends CdnInvalidator {
  /** Every invalidation asked for, repeats included, in order. */
  readonly calls: readonly InvalidationRequest[];
  /** The distinct invalidations: one per caller reference, as CloudFront keeps them. */
  invalidations(): InvalidationRequest[];
}

/**
 * As CloudFront does, a repeated caller reference with the same paths is the same invalidation
 * (its id again), and with other paths it is refused (InvalidationBatchAlreadyExists).
 */
export function createRecordingCdn(): RecordingCdn {
  const calls: InvalidationRequest[] = [];
  const byReference = new Map<string, { readonly id: string; readonly request: InvalidationRequest }>();
  return {
    calls,
    invalidate: (request) =>
      later(() => {
        const copy = asStored(request);
        calls.push(copy);
        const existing = byReference.get(copy.callerReference);
        if (existing) {
          if (existing.request.paths.join('\n') !== copy.paths.join('\n'))
            throw new Error(`InvalidationBatchAlreadyExists: ${copy.callerReference} was used for other paths`);
          return existing.id;
        }
        const id = `I${String(byReference.size + 1).padStart(13, '0')}`;
        byReference.set(copy.callerReference, { id, request: copy });
        return id;
      }),
    invalidations: () => [...byReference.values()].map(({ request }) => asStored(request)),
  };
}
