/**
 * The homepage's local parts: the site bucket (s3rver, website hosting) whose object-created
 * notifications reach invalidate-cdn, and the render-homepage function on the read-model
 * table's stream, through a local event source mapping with the topology's filter and
 * batching window.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import type { SiteBucket } from '../src/ports/index.js';
import type { ReadModelStreamRoute } from '../src/topology/topology.js';
import type { Log } from '../src/shell/runtime/logger.js';
import { createS3SiteBucket } from '../src/shell/s3/site-bucket.js';
import { buildHomepageAssets } from '../src/shell/site/build-assets.js';
import { type AsyncInvoker, createAsyncInvoker } from './async-invoke.js';
import type { CloudFrontStandIn } from './cloudfront-stand-in.js';
import type { DeadLetterStore } from './dead-letters.js';
import { createEventSourceMapping, type EventSourceMapping, type RetryPolicy } from './event-source-mapping.js';
import type { LocalFunction } from './local-function.js';
import { type LocalSiteBucket, startLocalSiteBucket } from './s3rver-bucket.js';
import { matchesStreamFilter } from './stream-filter.js';

export const LOCAL_DISTRIBUTION_ID = 'ELOCALSTANDIN';

/** A write to the site bucket, as the local stack saw it (what tests assert ordering on). */
export interface SiteWrite {
  readonly key: string;
  readonly projectionVersion: number | null;
}

export interface LocalSite {
  readonly bucket: LocalSiteBucket;
  /** The bucket as the renderer writes it, each write recorded in `writes`. */
  readonly store: SiteBucket;
  readonly writes: readonly SiteWrite[];
  readonly cdn: CloudFrontStandIn;
  readonly notifications: AsyncInvoker;
  stop(): Promise<void>;
}

interface Common {
  readonly retry: RetryPolicy;
  readonly deadLetters: DeadLetterStore;
  readonly log: Log;
}

export async function startLocalSite(
  options: Common & {
    readonly host: string;
    readonly bucketName: string;
    readonly cdn: CloudFrontStandIn;
    /** The function behind the bucket's object-created notifications (invalidate-cdn), once it exists. */
    readonly onObjectCreated: () => LocalFunction<S3Event, void>;
  },
): Promise<LocalSite> {
  const notifications = createAsyncInvoker(options);
  const bucket = await startLocalSiteBucket({
    bucket: options.bucketName,
    host: options.host,
    onObjectCreated: (event) => notifications.invoke(options.onObjectCreated(), event, `s3://${options.bucketName}`),
  });
  const s3 = bucket.createClient();
  const writes: SiteWrite[] = [];
  const s3Store = createS3SiteBucket({ client: s3, bucket: options.bucketName });
  const store: SiteBucket = {
    head: (key) => s3Store.head(key),
    async put(object, expected, trace) {
      const etag = await s3Store.put(object, expected, trace);
      writes.push({ key: object.key, projectionVersion: object.projectionVersion ?? null });
      return etag;
    },
  };
  return {
    bucket,
    store,
    writes,
    cdn: options.cdn,
    notifications,
    async stop() {
      await notifications.idle();
      s3.destroy();
      await bucket.stop();
    },
  };
}

/** Uploads the page's script and styles, then renders once: the empty state, or what a persisted store holds. */
export async function publishHomepage(
  site: LocalSite,
  render: LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>,
): Promise<void> {
  for (const asset of await buildHomepageAssets())
    await site.store.put(asset, (await site.store.head(asset.key))?.value ?? null);
  await render.invoke({ Records: [] });
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
    // The route's own retry count, as on AWS: e.g. a render is idempotent, and one given up leaves the page stale
    // until the next change.
    retry: { maxAttempts: route.batching.retryAttempts + 1, baseDelayMs: options.retry.baseDelayMs },
    deadLetters: options.deadLetters,
    log: options.log,
  });
}
