/**
 * How the event table's stream reaches a function: Lambda event source mappings with
 * partial batch responses, bisection on error and an on-failure destination. Each
 * mapping is a separate reader of the shard, and a shard tolerates two: the decider
 * and the fan-out. Everything else gets its records from the bus.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { acceptFinding } from '../nag.js';
import type { ServiceFunction } from './service-function.js';

export interface StreamReader {
  readonly filter: Record<string, unknown>;
  readonly batchSize: number;
  readonly deadLetterQueue: IQueue;
}

/** Makes the function a reader of the table's stream. */
export function readStream(fn: ServiceFunction, table: ITable, reader: StreamReader): void {
  fn.fn.addEventSource(streamSource(table, reader));
  acceptFinding(fn.role, 'AwsSolutions-IAM5[Resource::*]', 'dynamodb:ListStreams, granted to a stream reader by its event source mapping, has no resource-level permissions; the stream reads themselves are scoped to the table\'s stream.');
  acceptFinding(
    reader.deadLetterQueue,
    'AwsSolutions-SQS3',
    'This queue is the on-failure destination of a stream event source mapping, i.e. a dead-letter queue itself; its depth alarm fires on the first message.',
  );
}

const streamSource = (table: ITable, reader: StreamReader): DynamoEventSource =>
  new DynamoEventSource(table, {
    // From the oldest record still in the stream: nothing written before the mapping exists is skipped.
    startingPosition: StartingPosition.TRIM_HORIZON,
    filters: [FilterCriteria.filter(reader.filter)],
    batchSize: reader.batchSize,
    // No batching window: both readers are on the path of a waiting mutation.
    maxBatchingWindow: Duration.seconds(0),
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: 5,
    maxRecordAge: Duration.hours(6),
    onFailure: new SqsDlq(reader.deadLetterQueue),
  });
