/**
 * The write path's tracing port (src/ports WritePathTracing) on the helpers of spans.ts: the
 * resolver's command write is a PRODUCER span on the event table, and the request span links to
 * the publish of the notification that answers it.
 */
import type { WritePathTracing } from '../../ports/index.js';
import { withTrace } from './carrier.js';
import { DESTINATIONS, inProducerSpan, linkActiveSpan } from './spans.js';

export const writePathTracing: WritePathTracing = {
  inCommandWrite: (command, write) =>
    inProducerSpan(
      {
        system: 'aws.dynamodb_streams',
        destinationName: DESTINATIONS.eventTable,
        correlationId: command.correlationId,
        messageId: command.eventId,
      },
      (carrier) => write(withTrace(command, carrier)),
    ),
  linkActiveSpan: (carrier, attributes) => linkActiveSpan(carrier, attributes),
};
