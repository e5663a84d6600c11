/**
 * The decide function: reads command records straight from the event table's stream
 * (it is on every mutation's critical path) and reports partial batch failures.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { MalformedRecordError } from '../../errors/index.js';
import { fromStreamImage } from '../dynamodb/record-codec.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { runDecide } from '../flows/decide.js';
import { reportFailure } from './failure-notice.js';

export const DECIDE = 'decide';

export function createDecideFunction(
  deps: FlowDependencies,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = async (streamRecord: DynamoDBRecord): Promise<void> => {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image) throw new MalformedRecordError('stream record without a new image');
    const record = fromStreamImage(image as Record<string, AttributeValue>);
    if (record.kind !== 'command') return; // the event source filter should keep these out
    await runDecide(deps, record).catch((error: unknown) => reportFailure(deps, DECIDE, record, error));
  };
  return (event) => processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
}
