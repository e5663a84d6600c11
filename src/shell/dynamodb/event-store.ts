/**
 * The event store on DynamoDB. Conditional puts make a stream position single-use, so
 * duplicates are detected and concurrent writers conflict instead of overwriting.
 * Appends carry the read models they change (inline projection): the events and the
 * views folded from them are written in one transaction, so a handler can answer from
 * the view the moment it has appended, and no projector needs to run first.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyRecord } from '../../domain/messages.js';
import { COMMAND_VERSION, commandStreamId, OUTCOME_VERSION } from '../../domain/streams.js';
import {
  ExpectedVersionConflictError,
  MalformedRecordError,
  PartialAppendError,
  StoreUnavailableError,
} from '../../errors/index.js';
import type { AppendCommandResult, AppendOutcome, AppendUnit, EventStore } from '../../ports/index.js';
import { destinationFollows, destinationItem } from './read-model-items.js';
import { fromItem, toItem } from './record-codec.js';

const POSITION_IS_FREE = 'attribute_not_exists(streamId)';

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
/** Throttling or a server fault that outlasted the SDK's retries: the caller may retry. */
const isUnavailable = (error: unknown): boolean =>
  error instanceof DynamoDBServiceException && (error.$fault === 'server' || THROTTLING.has(error.name));

/** TransactWriteItems takes at most 100 items. */
const TRANSACTION_ITEM_LIMIT = 100;
/** A transaction cancelled by a concurrent one touching the same items (not by a taken position) is tried again. */
const TRANSACTION_CONFLICT_ATTEMPTS = 5;

export interface DynamoDBEventStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Where the views appended inline go (see AppendUnit.destinations). */
  readonly readModelTableName: string;
}

type TransactItem = {
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
};

export function createDynamoDBEventStore({
  client,
  tableName,
  readModelTableName,
}: DynamoDBEventStoreOptions): EventStore {
  const itemsOf = (unit: AppendUnit): TransactItem[] => [
    ...unit.records.map((record) => ({
      Put: { TableName: tableName, Item: toItem(record), ConditionExpression: POSITION_IS_FREE },
    })),
    ...(unit.destinations ?? []).map(({ destination, previousVersion }) => ({
      Put: {
        TableName: readModelTableName,
        Item: destinationItem(destination, unit.trace),
        ...destinationFollows(destination, previousVersion),
      },
    })),
  ];

  /**
   * Writes the units packed into as few transactions as fit, all at once. A transaction
   * cancelled because a unit's position was taken marks that unit as a conflict and is
   * sent again without it; one cancelled by a concurrent transaction is sent again whole.
   */
  const appendUnits = async (units: readonly AppendUnit[]): Promise<AppendOutcome[]> => {
    const outcomes: AppendOutcome[] = units.map(() => 'appended');
    const unitItems = units.map(itemsOf);
    const packs: number[][] = [];
    let current: number[] = [];
    let size = 0;
    units.forEach((unit, index) => {
      const count = unitItems[index]!.length;
      if (count > TRANSACTION_ITEM_LIMIT) throw new RangeError(`a unit of ${count} items exceeds one transaction`);
      if (size + count > TRANSACTION_ITEM_LIMIT) {
        packs.push(current);
        current = [];
        size = 0;
      }
      current.push(index);
      size += count;
    });
    if (current.length > 0) packs.push(current);

    const writePack = async (pack: number[]): Promise<void> => {
      for (let attempt = 1; pack.length > 0; attempt++) {
        const owners: number[] = [];
        const TransactItems = pack.flatMap((index) => unitItems[index]!.map((item) => (owners.push(index), item)));
        try {
          await client.send(new TransactWriteCommand({ TransactItems }));
          return;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = error.CancellationReasons ?? [];
          const taken = new Set(owners.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed'));
          for (const index of taken) outcomes[index] = 'conflict';
          pack = pack.filter((index) => !taken.has(index));
          if (taken.size === 0) {
            if (attempt >= TRANSACTION_CONFLICT_ATTEMPTS) throw error;
            await sleep(Math.random() * 10 * attempt); // jitter, so racing transactions spread out
          }
        }
      }
    };
    const written = await Promise.allSettled(packs.map(writePack));
    const failure = written.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      // The other transactions stand: say which units failed, so only their callers retry.
      const failedUnits = new Set(packs.filter((_, i) => written[i]?.status === 'rejected').flat());
      throw new PartialAppendError(
        outcomes.map((outcome, index) => (failedUnits.has(index) ? 'failed' : outcome)),
        { cause: failure.reason },
      );
    }
    return outcomes;
  };

  const readRecord = async (streamId: string, version: number): Promise<AnyRecord | null> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { streamId, version }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : null;
  };

  return {
    async appendCommand(command): Promise<AppendCommandResult> {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(command),
            ConditionExpression: POSITION_IS_FREE,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { created: true };
      } catch (error) {
        if (isUnavailable(error)) throw new StoreUnavailableError('appendCommand', { cause: error });
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = error.Item ? await readRecord(command.streamId, command.version) : null;
        if (!existing || existing.kind !== 'command')
          throw new ExpectedVersionConflictError([command.streamId], { cause: error });
        return { created: false, existing };
      }
    },

    appendUnits,

    async appendAtomically(records) {
      // One unit is one transaction: its failure is the transaction's own error.
      const [outcome] = await appendUnits([{ records }]).catch((error: unknown) => {
        throw error instanceof PartialAppendError ? error.cause : error;
      });
      if (outcome === 'conflict') throw new ExpectedVersionConflictError(records.map((record) => record.streamId));
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
      if (record && record.kind !== 'outcome')
        throw new MalformedRecordError(`expected an outcome at ${record.streamId}#${record.version}`);
      return record;
    },

    async readCommand(correlationId) {
      const record = await readRecord(commandStreamId(correlationId), COMMAND_VERSION);
      if (record && record.kind !== 'command')
        throw new MalformedRecordError(`expected a command at ${record.streamId}#${record.version}`);
      return record;
    },
  };
}
