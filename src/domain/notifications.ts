/**
 * What the handlers tell a waiting mutation, over the correlation id's channel.
 * Notifications only speed answers up: the durable command outcome and read models
 * remain the source of truth when a notification is lost.
 */
import type { Destination } from './destination.js';
import type { WaitFor } from './messages.js';
import type { Problem } from './problems.js';
import type { TraceCarrier } from './trace.js';

interface Traced {
  /** The publishing span's trace context (absent when tracing is off): the waiting request links to it. */
  readonly trace?: TraceCarrier;
}

export type Notification = Traced &
  (
    | {
        readonly type: 'Projected';
        readonly correlationId: string;
        readonly step: WaitFor;
        /**
         * The view as stored when this was sent (strongly consistent reads return it or newer): the
         * caller answers without a read.
         */
        readonly destination: Destination;
      }
    | { readonly type: 'Rejected'; readonly correlationId: string; readonly problems: readonly Problem[] }
    | {
        readonly type: 'HandlerFailed';
        readonly correlationId: string;
        readonly handler: string;
        readonly message: string;
      }
  );

const stepOrder: Record<WaitFor, number> = { PROPOSED: 1, LOCATION_CHECKED: 2 };

/** True when `notification` ends the wait of a caller who asked to wait for `waitFor`. */
export function isTerminalFor(notification: Notification, waitFor: WaitFor): boolean {
  if (notification.type !== 'Projected') return true;
  return stepOrder[notification.step] >= stepOrder[waitFor];
}

/** What a waiting caller is told once `destination` is stored (by the handler that stored it). */
export function projected(correlationId: string, destination: Destination): Notification {
  return {
    type: 'Projected',
    correlationId,
    step: destination.status === 'PROPOSED' ? 'PROPOSED' : 'LOCATION_CHECKED',
    destination,
  };
}
