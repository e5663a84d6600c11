/**
 * The fan-out function: the event table's stream → EventBridge. Records whose entries
 * cannot be delivered are reported as batch item failures, so the stream retries them.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AnyRoute } from '../../topology/topology.js';
import { typesForwardedToBus } from '../../topology/topology.js';
import { entriesFor } from './entries.js';
import { putEventsReliably, type PutEventsRetry } from './put-events.js';
import type { Log } from '../runtime/logger.js';

export interface FanoutDependencies {
  readonly eventBridge: EventBridgeClient;
  readonly eventBusName: string;
  readonly routes: readonly AnyRoute[];
  readonly retry: PutEventsRetry;
  readonly log: Log;
}

export function createFanoutFunction(
  deps: FanoutDependencies,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  const forwarded = typesForwardedToBus(deps.routes);
  return async (event) => {
    const pending = entriesFor(event.Records, forwarded, deps.eventBusName);
    const undelivered = await putEventsReliably(deps.eventBridge, pending, deps.retry);
    if (undelivered.length > 0)
      deps.log.error('entries not delivered to the bus after retries', { count: undelivered.length });
    deps.log.debug('fanned out', {
      records: event.Records.length,
      entries: pending.length,
      undelivered: undelivered.length,
    });
    return { batchItemFailures: undelivered.map(({ sequenceNumber }) => ({ itemIdentifier: sequenceNumber })) };
  };
}
