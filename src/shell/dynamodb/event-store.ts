/**
 * The event store on DynamoDB. Conditional puts make a stream position single-use, so
 * duplicates are detected and concurrent writers conflict instead of overwriting.
 */
import { ConditionalCheckFailedException, DynamoDBServiceException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AnyRecord, Command, CommandOutcome } from '../../domain/messages.js';
import { COMMAND_VERSION, commandStreamId, OUTCOME_VERSION } from '../../domain/streams.js';
import { ExpectedVersionConflictError, MalformedRecordError, StoreUnavailableError } from '../../errors/index.js';
import type { AppendCommandResult, EventStore } from '../../ports/index.js';
import { fromItem, toItem } from './record-codec.js';

const POSITION_IS_FREE = 'attribute_not_exists(streamId)';

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
/** Throttling or a server fault that outlasted the SDK's retries: the caller may retry. */
const isUnavailable = (error: unknown): boolean => error instanceof DynamoDBServiceException && (error.$fault === 'server' || THROTTLING.has(error.name));

export function createDynamoDBEventStore({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): EventStore {
  const readRecord = async (streamId: string, version: number): Promise<AnyRecord | null> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { streamId, version }, ConsistentRead: true }));
    return Item ? fromItem(Item) : null;
  };

  return {
    async appendCommand(command): Promise<AppendCommandResult> {
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: toItem(command), ConditionExpression: POSITION_IS_FREE, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        );
        return { created: true };
      } catch (error) {
        if (isUnavailable(error)) throw new StoreUnavailableError('appendCommand', { cause: error });
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = error.Item ? await readRecord(command.streamId, command.version) : null;
        if (!existing || existing.kind !== 'command') throw new ExpectedVersionConflictError([command.streamId], { cause: error });
        return { created: false, existing };
      }
    },

    async appendAtomically(records) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: records.map((record) => ({ Put: { TableName: tableName, Item: toItem(record), ConditionExpression: POSITION_IS_FREE } })),
          }),
        );
      } catch (error) {
        const conflicted = error instanceof TransactionCanceledException && error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed');
        if (conflicted) throw new ExpectedVersionConflictError(records.map((record) => record.streamId), { cause: error });
        throw error;
      }
    },

    async readStream(streamId, afterVersion = 0) {
      const records: AnyRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'streamId = :streamId AND version > :after',
            ExpressionAttributeValues: { ':streamId': streamId, ':after': afterVersion },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        records.push(...(page.Items ?? []).map(fromItem));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return records;
    },

    async readOutcome(correlationId) {
      const record = await readRecord(commandStreamId(correlationId), OUTCOME_VERSION);
      if (record && record.kind !== 'outcome') throw new MalformedRecordError(`expected an outcome at ${record.streamId}#${record.version}`);
      return record as CommandOutcome | null;
    },

    async readCommand(correlationId) {
      const record = await readRecord(commandStreamId(correlationId), COMMAND_VERSION);
      if (record && record.kind !== 'command') throw new MalformedRecordError(`expected a command at ${record.streamId}#${record.version}`);
      return record as Command | null;
    },
  };
}
