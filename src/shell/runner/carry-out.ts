import { bareEtag } from '../../domain/publications.js';
import type { Write } from '../../handlers/handler.js';
import { ExpectedVersionConflictError, PublishConflictError } from '../../errors/index.js';
import { DESTINATIONS, inProducerSpan, withTrace } from '../telemetry/index.js';
import { type RunnerDependencies, need } from './dependencies.js';

/** `conflict`: the state the write was decided from has changed since; look again. */
export type WriteOutcome = 'written' | 'conflict';

export async function carryOut(handler: string, write: Write, deps: RunnerDependencies): Promise<WriteOutcome> {
  switch (write.kind) {
    case 'append': {
      const { records } = write.unit;
      // The records carry their writer's span context, so the handlers they feed link back to it.
      const [outcome] = await inProducerSpan(
        {
          system: 'aws.dynamodb_streams',
          destinationName: DESTINATIONS.eventTable,
          correlationId: records[0]?.correlationId,
          messageCount: records.length,
        },
        (carrier) =>
          need(deps, handler, 'eventStore').appendUnits([
            { ...write.unit, records: records.map((record) => withTrace(record, carrier)) },
          ]),
      );
      return outcome === 'appended' ? 'written' : 'conflict';
    }
    case 'put-recent':
      return conflictOn(ExpectedVersionConflictError, () =>
        need(deps, handler, 'readModels').putRecent(write.next, write.expectedVersion),
      );
    case 'publish': {
      let etag = '';
      const outcome = await conflictOn(PublishConflictError, async () => {
        etag = await need(deps, handler, 'site').put(write.object, write.expected);
      });
      const { record } = write;
      if (outcome === 'conflict' || !record || write.object.projectionVersion === undefined) return outcome;
      // A failure here leaves the page written and unrecorded: the retry finds it published and records it then.
      await need(deps, handler, 'readModels').recordPublication(
        { etag: bareEtag(etag), projectionVersion: write.object.projectionVersion, publishedAt: record.publishedAt },
        record.forgetting,
      );
      return 'written';
    }
    case 'record-publication':
      await need(deps, handler, 'readModels').recordPublication(write.publication, write.forgetting);
      return 'written';
    case 'invalidate':
      await need(deps, handler, 'cdn').invalidate(write.request);
      return 'written';
    case 'mark-invalidated':
      await need(deps, handler, 'readModels').markInvalidated(write.etag, write.at);
      return 'written';
    default: {
      const unknown: never = write;
      throw new Error(`unhandled write ${JSON.stringify(unknown)}`);
    }
  }
}

async function conflictOn(
  conflict: abstract new (...args: never[]) => Error,
  write: () => Promise<unknown>,
): Promise<WriteOutcome> {
  try {
    await write();
    return 'written';
  } catch (error) {
    if (error instanceof conflict) return 'conflict';
    throw error;
  }
}
