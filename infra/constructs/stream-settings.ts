/**
 * How a table's stream reaches a function: a Lambda event source mapping with a filter,
 * partial batch responses, bisection on error and an on-failure destination. Each
 * mapping is a separate reader of the shard, and a shard tolerates two: the event
 * table's are the decider and the fan-out (everything else gets its records from the
 * bus); the read-model table's are the recent-list projector and the renderer.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { acceptFinding } from '../nag.js';
import type { ServiceFunction } from './service-function.js';

export interface StreamReader {
  /** A Lambda event filter pattern. */
  readonly filter: object;
  readonly batchSize: number;
  readonly deadLetterQueue: IQueue;
  /** Default none: the event table's readers are on the path of a waiting mutation. */
  readonly maxBatchingWindow?: Duration;
  readonly parallelizationFactor?: number;
  /** Default the oldest record still in the stream, so nothing written before the mapping exists is skipped. */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  readonly retryAttempts?: number;
}

/** Makes the function a reader of the table's stream. */
export function readStream(fn: ServiceFunction, table: ITable, reader: StreamReader): void {
  fn.fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: reader.startingPosition === 'LATEST' ? StartingPosition.LATEST : StartingPosition.TRIM_HORIZON,
      filters: [FilterCriteria.filter(reader.filter)],
      batchSize: reader.batchSize,
      maxBatchingWindow: reader.maxBatchingWindow ?? Duration.seconds(0),
      ...(reader.parallelizationFactor ? { parallelizationFactor: reader.parallelizationFactor } : {}),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: reader.retryAttempts ?? 5,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(reader.deadLetterQueue),
    }),
  );
  acceptFinding(
    fn.role,
    'AwsSolutions-IAM5[Resource::*]',
    "dynamodb:ListStreams, granted to a stream reader by its event source mapping, has no resource-level permissions; the stream reads themselves are scoped to the table's stream.",
  );
  acceptFinding(
    reader.deadLetterQueue,
    'AwsSolutions-SQS3',
    'This queue is the on-failure destination of a stream event source mapping, i.e. a dead-letter queue itself; its depth alarm fires on the first message.',
  );
}
