/**
 * What happens on AWS when the decider gives up on a batch (retries exhausted): its
 * event source mapping sends a record of the batch to an SQS queue, and this function,
 * reading that queue, re-reads the batch from the stream and records each command in it
 * as FAILED, as the local stack does in-process. The waiting caller was already told
 * (HandlerFailed, at the decider's first failure); FAILED is what `commandStatus` and the
 * mutation's deadline read then find, instead of PENDING forever.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MalformedRecordError } from '../../errors/index.js';
import { fromStreamImage } from '../dynamodb/record-codec.js';
import { readStreamBatch, type StreamBatchPosition } from '../dynamodb/stream-batch.js';
import { decide } from '../../handlers/decide.js';
import type { RunnerDependencies } from './dependencies.js';
import { recordCommandFailure } from './record-failure.js';

export interface DecideFailuresDependencies extends RunnerDependencies {
  readonly streams: DynamoDBStreamsClient;
}

/** The parts of a stream mapping's on-failure record this function reads. */
interface OnFailureRecord {
  readonly requestContext?: { readonly condition?: string };
  readonly responseContext?: { readonly functionError?: string };
  readonly DDBStreamBatchInfo?: Partial<StreamBatchPosition>;
}

function positionOf(message: OnFailureRecord): StreamBatchPosition {
  const info = message.DDBStreamBatchInfo;
  const { streamArn, shardId, startSequenceNumber, endSequenceNumber } = info ?? {};
  if (!streamArn || !shardId || !startSequenceNumber || !endSequenceNumber)
    throw new MalformedRecordError('on-failure record without a complete DDBStreamBatchInfo');
  return { streamArn, shardId, startSequenceNumber, endSequenceNumber };
}

export function createDecideFailuresFunction(
  deps: DecideFailuresDependencies,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const handleMessage = async (message: SQSRecord): Promise<void> => {
    const failure = JSON.parse(message.body) as OnFailureRecord;
    const reason = `the decider gave up: ${failure.requestContext?.condition ?? 'unknown condition'}${failure.responseContext?.functionError ? ` (${failure.responseContext.functionError})` : ''}`;
    for (const record of await readStreamBatch(deps.streams, positionOf(failure))) {
      const image = record.dynamodb?.NewImage;
      if (!image) continue;
      const stored = fromStreamImage(image);
      if (stored.kind === 'command') await recordCommandFailure(deps, stored, decide.name, reason, { tell: false });
    }
  };
  // A message that fails stays on the queue (retried, then moved to the queue's own dead-letter queue).
  return (event) => processPartialResponse(event, handleMessage, processor, { throwOnFullBatchFailure: false });
}
