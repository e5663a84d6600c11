import { bareEtag } from '../../domain/publications.js';
import type { Write } from '../../handlers/handler.js';
import { ExpectedVersionConflictError, PublishConflictError } from '../../errors/index.js';
import { type Carrier, DESTINATIONS, inProducerSpan, type ProducerSpanOptions, withTrace } from '../telemetry/index.js';
import { type RunnerDependencies, need } from './dependencies.js';

const READ_MODEL_TABLE: ProducerSpanOptions = {
  system: 'aws.dynamodb_streams',
  destinationName: DESTINATIONS.readModelTable,
};
const SITE_BUCKET: ProducerSpanOptions = { system: 'aws.s3', destinationName: DESTINATIONS.siteBucket };

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
        // The views of the unit carry it too (`trace`), for project-recent, fed by their changes.
        (carrier) =>
          need(deps, handler, 'eventStore').appendUnits([
            withTrace({ ...write.unit, records: records.map((record) => withTrace(record, carrier)) }, carrier),
          ]),
      );
      return outcome === 'appended' ? 'written' : 'conflict';
    }
    case 'put-recent':
      // The list item carries its writer's context (one attribute of the item written per batch anyway), for
      // render-homepage. A batch serves many commands: no conversation id, as on its consumer span.
      return inProducerSpan(READ_MODEL_TABLE, (carrier) =>
        conflictOn(ExpectedVersionConflictError, () =>
          need(deps, handler, 'readModels').putRecent(write.next, write.expectedVersion, carrier),
        ),
      );
    case 'publish':
      // The page carries its writer's context in its metadata, for invalidate-cdn (see deliveries.ts).
      return inProducerSpan(SITE_BUCKET, (carrier) => publish(handler, write, deps, carrier));
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

async function publish(
  handler: string,
  write: Extract<Write, { kind: 'publish' }>,
  deps: RunnerDependencies,
  carrier: Carrier | undefined,
): Promise<WriteOutcome> {
  let etag = '';
  const outcome = await conflictOn(PublishConflictError, async () => {
    etag = await need(deps, handler, 'site').put(write.object, write.expected, carrier);
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
