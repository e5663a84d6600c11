import { invalidationsFor, type ObjectCreated } from '../../handlers/invalidate-cdn.js';
import type { CdnInvalidator } from '../../ports/index.js';
import type { Log } from '../runtime/logger.js';

export interface InvalidateCdnDependencies {
  readonly invalidator: CdnInvalidator;
  readonly distributionId: string;
  readonly log: Log;
}

/** object changes → invalidation requests → CreateInvalidation, each awaited (a failure goes to the retry path). */
export async function runInvalidateCdn(
  deps: InvalidateCdnDependencies,
  created: readonly ObjectCreated[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const request of invalidationsFor(created, deps.distributionId)) {
    const id = await deps.invalidator.invalidate(request);
    deps.log.info('CDN invalidation created', {
      invalidationId: id,
      paths: request.InvalidationBatch.Paths.Items,
      callerReference: request.InvalidationBatch.CallerReference,
    });
    ids.push(id);
  }
  return ids;
}
