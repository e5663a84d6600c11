/**
 * The fan-out: the event table's stream (new records only) → the custom EventBridge
 * bus. It needs no Redis, so it stays out of the VPC; its only grant beyond the stream
 * is PutEvents on this one bus.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { LAMBDA_ENTRY_DIR } from './paths.js';
import { ServiceFunction } from './service-function.js';
import { readStream } from './stream-settings.js';

/** Lambda's filter for table inserts: appends are the only writes that carry news. */
export const INSERTS_ONLY = { eventName: ['INSERT'] };

export class Fanout extends Construct {
  readonly bus: EventBus;
  readonly function: ServiceFunction;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: { readonly eventTable: ITable }) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', {
      description: 'visitplannr records from the event table, one entry per record',
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', 'fan-out gave up on stream records');
    this.function = new ServiceFunction(this, 'Function', {
      entry: `${LAMBDA_ENTRY_DIR}fanout.ts`,
      description: 'visitplannr fan-out: event table stream -> EventBridge',
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.bus.grantPutEventsTo(this.function.role);
    readStream(this.function, props.eventTable, {
      filter: INSERTS_ONLY,
      batchSize: 100,
      deadLetterQueue: this.deadLetters.queue,
    });
    this.function.alarmOnErrors();
  }
}
