/**
 * Re-reads a batch of stream records named by position, as a stream event source
 * mapping's on-failure destination names them (shard, first and last sequence number):
 * the message carries no records, and the stream keeps them for 24 hours.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { VisitplannrError } from '../../errors/index.js';

export interface StreamBatchPosition {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

export class StreamBatchUnreadableError extends VisitplannrError {
  override readonly name = 'StreamBatchUnreadableError';
  readonly code = 'STREAM_BATCH_UNREADABLE';
  constructor(
    readonly position: StreamBatchPosition,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The records from start to end (inclusive), in stream order; at most `maxCalls` GetRecords calls. */
export async function readStreamBatch(
  client: DynamoDBStreamsClient,
  position: StreamBatchPosition,
  maxCalls = 20,
): Promise<_Record[]> {
  const end = BigInt(position.endSequenceNumber);
  let iterator: string | undefined;
  try {
    iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamArn: position.streamArn,
          ShardId: position.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: position.startSequenceNumber,
        }),
      )
    ).ShardIterator;
  } catch (error) {
    // Typically TrimmedDataAccessException: the records are older than the stream's 24 hours.
    throw new StreamBatchUnreadableError(
      position,
      `cannot position at ${position.startSequenceNumber} in ${position.shardId}`,
      { cause: error },
    );
  }
  const records: _Record[] = [];
  for (let call = 0; iterator && call < maxCalls; call++) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    for (const record of page.Records ?? []) {
      if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return records;
      records.push(record);
    }
    if (records.length > 0 && BigInt(records.at(-1)?.dynamodb?.SequenceNumber ?? '0') === end) return records;
    iterator = page.NextShardIterator;
  }
  if (records.length === 0)
    throw new StreamBatchUnreadableError(
      position,
      `no records found from ${position.startSequenceNumber} in ${position.shardId}`,
    );
  return records;
}
