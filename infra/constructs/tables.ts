/**
 * The event table (commands, events and outcomes; its stream feeds the decider and the
 * fan-out) and the read-model table. Key shapes come from the same module the local
 * stack creates its tables with.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EVENT_TABLE_KEYS, READ_MODEL_STREAM, READ_MODEL_TABLE_KEY } from '../../src/shell/dynamodb/tables.js';

export class Tables extends Construct {
  readonly events: Table;
  readonly readModels: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.events = new Table(this, 'Events', {
      partitionKey: { name: EVENT_TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: EVENT_TABLE_KEYS.sort, type: AttributeType.NUMBER },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Consumers need the record as written; the old image of an append-only item is empty anyway.
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: true,
      // The event log is the system of record: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.readModels = new Table(this, 'ReadModels', {
      partitionKey: { name: READ_MODEL_TABLE_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Feeds the homepage's renderer (keys only: it reads the projection itself), as locally.
      stream: StreamViewType[READ_MODEL_STREAM.StreamViewType],
      // Rebuildable from the event table by replaying it through the projection.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
