import { ExpectedVersionConflictError } from '../../errors/index.js';
import { projectRecent } from '../../handlers/project-recent.js';
import type { ReadModelStore } from '../../ports/index.js';
import type { Log } from '../runtime/logger.js';

export interface ProjectRecentDependencies {
  readonly readModels: ReadModelStore;
  readonly log: Log;
}

const WRITE_ATTEMPTS = 10;

/**
 * look up the list, then the changed destinations as stored now → fold → one conditional
 * write, retried on conflict. The destinations are read after the list, so a writer
 * racing another (one per stream shard on AWS) either sees the newer views the other
 * folded or loses the conditional write and reads again: a rejected destination is never
 * put back by a stale view.
 */
export async function runProjectRecent(
  deps: ProjectRecentDependencies,
  destinationIds: readonly string[],
): Promise<number | null> {
  if (destinationIds.length === 0) return null;
  for (let attempt = 1; ; attempt++) {
    const recent = await deps.readModels.getRecent();
    const changed = await deps.readModels.getDestinations(destinationIds);
    const next = projectRecent(recent, changed);
    if (!next) return null;
    try {
      await deps.readModels.putRecent(next, recent.version);
      deps.log.info('recent destinations projected', { changes: destinationIds.length, version: next.version });
      return next.version;
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflictError) || attempt >= WRITE_ATTEMPTS) throw error;
      deps.log.debug('recent destinations changed by another writer; folding again', { attempt });
    }
  }
}
