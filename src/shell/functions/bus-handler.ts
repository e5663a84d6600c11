/**
 * A handler reached through EventBridge: the rule delivers one record per invocation,
 * as the event's `detail`. A throw hands the event back to the async-invoke retry path.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type { AnyRecord } from '../../domain/messages.js';
import { fromItem } from '../dynamodb/record-codec.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { reportFailure } from './failure-notice.js';

export type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

export function createBusFunction<R extends AnyRecord>(
  handler: string,
  deps: FlowDependencies,
  accepts: (record: AnyRecord) => record is R,
  flow: (deps: FlowDependencies, record: R) => Promise<void>,
): (event: BusEvent) => Promise<void> {
  return async (event) => {
    const record = fromItem(event.detail);
    if (!accepts(record)) {
      deps.log.warn('record type not handled here; the rule should not have matched', {
        handler,
        recordType: record.type,
      });
      return;
    }
    await flow(deps, record).catch((error: unknown) => reportFailure(deps, handler, record, error));
  };
}
