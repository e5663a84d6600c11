/**
 * The homepage's local parts: the site bucket (s3rver, website hosting), the CloudFront
 * stand-in with the invalidate-cdn function behind the bucket's notifications, and the
 * render-homepage function for the read-model table's stream, through a local event
 * source mapping with the topology's filter and batching window.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import type { ReadModelStore, SiteBucket } from '../src/ports/index.js';
import { HOMEPAGE_ASSETS } from '../src/site/assets.js';
import { type ReadModelStreamRoute, readModelStreamRoutes, routeOf } from '../src/topology/topology.js';
import { createCloudFrontInvalidator } from '../src/shell/cloudfront/invalidator.js';
import { type RenderHomepageDependencies, runRenderHomepage } from '../src/shell/flows/render-homepage.js';
import { createInvalidateCdnFunction, INVALIDATE_CDN } from '../src/shell/functions/invalidate-cdn.js';
import { createRenderHomepageFunction, RENDER_HOMEPAGE } from '../src/shell/functions/render-homepage.js';
import type { Log } from '../src/shell/runtime/logger.js';
import { createS3SiteBucket } from '../src/shell/s3/site-bucket.js';
import { buildHomepageAssets } from '../src/shell/site/assets.js';
import { type AsyncInvoker, createAsyncInvoker } from './async-invoke.js';
import { type CloudFrontStandIn, startCloudFrontStandIn } from './cloudfront-stand-in.js';
import type { DeadLetterStore } from './dead-letters.js';
import { createEventSourceMapping, type EventSourceMapping, type RetryPolicy } from './event-source-mapping.js';
import { type LocalFunction, localFunction } from './local-function.js';
import { createLocalLogger } from './local-logger.js';
import { type LocalSiteBucket, startLocalSiteBucket } from './site-bucket.js';
import { matchesStreamFilter } from './stream-filter.js';

export const LOCAL_DISTRIBUTION_ID = 'ELOCALSTANDIN';

/** A write to the site bucket, as the local stack saw it (what tests assert ordering on). */
export interface SiteWrite {
  readonly key: string;
  readonly projectionVersion: number | null;
}

export interface LocalSite {
  readonly bucket: LocalSiteBucket;
  readonly store: SiteBucket;
  readonly writes: readonly SiteWrite[];
  readonly cdn: CloudFrontStandIn;
  readonly notifications: AsyncInvoker;
  /** The function behind the bucket's notifications (for redriving its dead letters). */
  readonly invalidateFn: LocalFunction<S3Event, void>;
  stop(): Promise<void>;
}

interface Common {
  readonly retry: RetryPolicy;
  readonly deadLetters: DeadLetterStore;
  readonly logLevel: string;
  readonly log: Log;
}

export async function startLocalSite(
  options: Common & { readonly host: string; readonly bucketName: string },
): Promise<LocalSite> {
  const cdn = await startCloudFrontStandIn();
  const notifications = createAsyncInvoker(options);
  const invalidateFn = localFunction(
    INVALIDATE_CDN,
    createInvalidateCdnFunction({
      invalidator: createCloudFrontInvalidator({ client: cdn.createClient() }),
      distributionId: LOCAL_DISTRIBUTION_ID,
      log: createLocalLogger(`visitplannr-${INVALIDATE_CDN}`, options.logLevel),
    }),
  );
  const bucket = await startLocalSiteBucket({
    bucket: options.bucketName,
    host: options.host,
    onObjectCreated: (event) => notifications.invoke(invalidateFn, event, `s3://${options.bucketName}`),
  }).catch(async (error: unknown) => {
    await cdn.stop();
    throw error;
  });
  const s3 = bucket.createClient();
  const writes: SiteWrite[] = [];
  const s3Store = createS3SiteBucket({ client: s3, bucket: options.bucketName });
  const store: SiteBucket = {
    head: (key) => s3Store.head(key),
    async put(object, expected) {
      await s3Store.put(object, expected);
      writes.push({ key: object.key, projectionVersion: object.projectionVersion ?? null });
    },
  };
  return {
    bucket,
    store,
    writes,
    cdn,
    notifications,
    invalidateFn,
    async stop() {
      await notifications.idle();
      s3.destroy();
      await bucket.stop();
      await cdn.stop();
    },
  };
}

export interface LocalRenderer {
  readonly fn: LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>;
  readonly mapping: EventSourceMapping;
}

/**
 * Uploads the page's script and styles, renders once (the empty state, or what a persisted store
 * holds), then follows the projection.
 */
export async function startLocalRenderer(
  options: Common & {
    readonly site: LocalSite;
    readonly readModels: ReadModelStore;
    /** Overrides the topology's batching window (tests use a shorter one). */
    readonly batchingWindowMs?: number;
  },
): Promise<LocalRenderer> {
  const route = routeOf(readModelStreamRoutes(), RENDER_HOMEPAGE);
  for (const asset of await buildHomepageAssets())
    await options.site.store.put(asset, await options.site.store.head(asset.key));
  const deps: RenderHomepageDependencies = {
    readModels: options.readModels,
    site: options.site.store,
    settings: { assets: HOMEPAGE_ASSETS },
    log: createLocalLogger(`visitplannr-${RENDER_HOMEPAGE}`, options.logLevel),
  };
  await runRenderHomepage(deps);
  const fn = localFunction(RENDER_HOMEPAGE, createRenderHomepageFunction(deps), {
    concurrency: route.batching.parallelizationFactor,
  });
  return { fn, mapping: readModelStreamMapping(route, fn, options) };
}

/** A local event source mapping with a read-model route's filter, batching and retries, as AWS would configure it. */
export function readModelStreamMapping(
  route: ReadModelStreamRoute,
  fn: LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>,
  options: Pick<Common, 'retry' | 'deadLetters' | 'log'> & { readonly batchingWindowMs?: number },
): EventSourceMapping {
  return createEventSourceMapping({
    fn,
    filter: (record) => matchesStreamFilter(route.filter, record),
    batchingWindowMs: options.batchingWindowMs ?? route.batching.maximumBatchingWindowInSeconds * 1000,
    batchSize: route.batching.batchSize,
    parallelizationFactor: route.batching.parallelizationFactor,
    // The route's own retry count, as on AWS: e.g. a render is idempotent, and one given up leaves
    // the page stale until the next change.
    retry: { maxAttempts: route.batching.retryAttempts + 1, baseDelayMs: options.retry.baseDelayMs },
    deadLetters: options.deadLetters,
    log: options.log,
  });
}
