/**
 * The event store in memory, with the semantics of the DynamoDB store (src/shell/dynamodb/
 * event-store.ts), proved by the same contract suite (test/contract): a stream position is
 * single-use, a unit (its records and the views folded from them) is written all or none, a
 * duplicate command is reported with the original, and what is stored is a copy.
 *
 * Each unit is its own transaction here, written in the order given; DynamoDB packs units
 * into transactions of up to 100 items (so which units fail together when a transaction
 * fails is its own affair). Both refuse a unit that could not fit one transaction.
 *
 * @example
 * const readModels = createInMemoryReadModelStore();
 * const eventStore = createInMemoryEventStore({ readModels });
 * await eventStore.appendCommand(command); // { created: true }
 */
import type { AnyRecord, Command, CommandOutcome } from '../../domain/messages.js';
import { COMMAND_VERSION, commandStreamId, OUTCOME_VERSION } from '../../domain/streams.js';
import { ExpectedVersionConflictError, MalformedRecordError, PartialAppendError } from '../../errors/index.js';
import type { AppendCommandResult, AppendOutcome, AppendUnit, EventStore } from '../../ports/index.js';
import { asStored, later } from './as-stored.js';
import type { InMemoryReadModelStore } from './read-model-store.js';

/** TransactWriteItems takes at most 100 items; the same bound keeps a test from passing what DynamoDB refuses. */
const TRANSACTION_ITEM_LIMIT = 100;

export interface InMemoryEventStore extends EventStore {
  /** Every stored record, by stream id and then version (what a scan of the event table shows). */
  records(): AnyRecord[];
}

export function createInMemoryEventStore({
  readModels,
}: {
  readonly readModels: InMemoryReadModelStore;
}): InMemoryEventStore {
  const streams = new Map<string, Map<number, AnyRecord>>();
  const at = (streamId: string, version: number): AnyRecord | undefined => streams.get(streamId)?.get(version);
  const put = (record: AnyRecord): void => {
    const stream = streams.get(record.streamId) ?? new Map<number, AnyRecord>();
    streams.set(record.streamId, stream.set(record.version, record));
  };

  /** One unit as one transaction: every condition checked, then everything written, in one synchronous step. */
  const appendUnit = (unit: AppendUnit): AppendOutcome => {
    const positions = new Set(unit.records.map((record) => `${record.streamId}#${record.version}`));
    if (positions.size < unit.records.length) throw new Error('a unit writes one stream position twice');
    const free = unit.records.every((record) => at(record.streamId, record.version) === undefined);
    const views = unit.destinations ?? [];
    const follow = views.every(({ destination, previousVersion }) =>
      readModels.inline.follows(destination, previousVersion),
    );
    if (!free || !follow) return 'conflict';
    const records = unit.records.map(asStored); // all copied before any is stored: a refused copy stores none
    readModels.inline.store(
      views.map(({ destination }) => destination),
      unit.trace,
    );
    records.forEach(put);
    return 'appended';
  };

  const appendUnits = (units: readonly AppendUnit[]): Promise<AppendOutcome[]> =>
    later(() => {
      for (const unit of units) {
        const count = unit.records.length + (unit.destinations?.length ?? 0);
        if (count > TRANSACTION_ITEM_LIMIT) throw new RangeError(`a unit of ${count} items exceeds one transaction`);
      }
      const fates = units.map((unit): AppendOutcome | { failed: unknown } => {
        try {
          return appendUnit(unit);
        } catch (error) {
          return { failed: error };
        }
      });
      const failure = fates.find((fate): fate is { failed: unknown } => typeof fate === 'object');
      if (failure) {
        // The other units stand: say which failed, so only their callers retry.
        const outcomes = fates.map((fate) => (typeof fate === 'object' ? 'failed' : fate));
        throw new PartialAppendError(outcomes, { cause: failure.failed });
      }
      return fates as AppendOutcome[];
    });

  const readAt = <T extends AnyRecord>(correlationId: string, version: number, kind: T['kind']): T | null => {
    const record = at(commandStreamId(correlationId), version);
    if (record && record.kind !== kind)
      throw new MalformedRecordError(
        `expected ${kind === 'outcome' ? 'an' : 'a'} ${kind} at ${record.streamId}#${version}`,
      );
    return record ? (asStored(record) as T) : null;
  };

  const store: InMemoryEventStore = {
    appendCommand: (command) =>
      later((): AppendCommandResult => {
        const existing = at(command.streamId, command.version);
        if (!existing) {
          put(asStored(command));
          return { created: true };
        }
        if (existing.kind !== 'command') throw new ExpectedVersionConflictError([command.streamId]);
        return { created: false, existing: asStored(existing) };
      }),

    appendUnits,

    async appendAtomically(records) {
      // One unit is one transaction: its failure is the transaction's own error.
      const [outcome] = await appendUnits([{ records }]).catch((error: unknown) => {
        throw error instanceof PartialAppendError ? error.cause : error;
      });
      if (outcome === 'conflict') throw new ExpectedVersionConflictError(records.map((record) => record.streamId));
    },

    readStream: (streamId, afterVersion = 0) =>
      later(() =>
        [...(streams.get(streamId)?.values() ?? [])]
          .filter((record) => record.version > afterVersion)
          .sort((a, b) => a.version - b.version)
          .map(asStored),
      ),

    readOutcome: (correlationId) => later(() => readAt<CommandOutcome>(correlationId, OUTCOME_VERSION, 'outcome')),

    readCommand: (correlationId) => later(() => readAt<Command>(correlationId, COMMAND_VERSION, 'command')),

    records: () =>
      [...streams.keys()]
        .sort()
        .flatMap((streamId) => [...streams.get(streamId)!.values()].sort((a, b) => a.version - b.version))
        .map(asStored),
  };
  return store;
}
