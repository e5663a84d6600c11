import { PublishConflictError } from '../../errors/index.js';
import { HOMEPAGE_KEY, type HomepageSettings, renderHomepage } from '../../handlers/render-homepage.js';
import type { ReadModelStore, SiteBucket } from '../../ports/index.js';
import type { Log } from '../runtime/logger.js';

export interface RenderHomepageDependencies {
  readonly readModels: Pick<ReadModelStore, 'getRecent'>;
  readonly site: SiteBucket;
  readonly settings: HomepageSettings;
  readonly log: Log;
}

export type RenderOutcome =
  | { readonly kind: 'published'; readonly version: number }
  | { readonly kind: 'up-to-date'; readonly publishedVersion: number };

const PUBLISH_ATTEMPTS = 5;

/**
 * look up what is published and the projection as it is now → render → conditional write.
 * However many changes triggered it, one call renders once, from the newest projection.
 */
export async function runRenderHomepage(deps: RenderHomepageDependencies): Promise<RenderOutcome> {
  for (let attempt = 1; ; attempt++) {
    // 1. What the bucket serves now (its etag guards the write), then the projection, read strongly consistently.
    const published = await deps.site.head(HOMEPAGE_KEY);
    const projection = await deps.readModels.getRecent();
    // 2. Render, unless the published page is already this version or newer.
    const decision = renderHomepage(projection, published, deps.settings);
    if (decision.kind === 'up-to-date') return decision;
    // 3. Write only over what step 1 saw; a concurrent writer makes us look again.
    try {
      await deps.site.put(decision.object, published);
      deps.log.info('homepage published', { version: projection.version, destinations: projection.entries.length });
      return { kind: 'published', version: projection.version };
    } catch (error) {
      if (!(error instanceof PublishConflictError) || attempt >= PUBLISH_ATTEMPTS) throw error;
      deps.log.warn('homepage write lost to another writer; rendering again', { attempt });
    }
  }
}
