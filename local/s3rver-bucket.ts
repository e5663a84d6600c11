/**
 * The local site bucket: s3rver (an S3-compatible server) with website hosting, so the
 * real `@aws-sdk/client-s3` code runs against it and a browser gets the site at a URL.
 * Its object-created notifications go to `onObjectCreated`, as S3 notifies Lambda.
 *
 * s3rver predates S3's conditional writes and does not make reads and writes of an object
 * atomic; two small middlewares add both, so the renderer's guard and a browser's cache
 * behave here as on AWS. A third refuses chosen writes on request (`faults`), as S3 does
 * when it throttles, so the writers' retry paths can be exercised.
 */
import type { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';

/** s3rver's built-in account; it checks request signatures against it. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const INDEX_DOCUMENT = 'index.html';
const WEBSITE_CONFIGURATION = `<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <IndexDocument><Suffix>${INDEX_DOCUMENT}</Suffix></IndexDocument>
</WebsiteConfiguration>`;

export interface LocalSiteBucket {
  readonly bucket: string;
  readonly endpoint: string;
  /** Where a browser gets the site (the bucket's index document). */
  readonly websiteUrl: string;
  readonly origin: string;
  /** Makes PutObject of chosen keys fail, as S3 does when it throttles. */
  readonly faults: SiteBucketFaults;
  /** An S3 client for this server (path-style, s3rver's credentials). */
  createClient(): S3Client;
  stop(): Promise<void>;
}

export interface SiteBucketFaults {
  /**
   * PutObject of `keys` (every key when omitted) is answered 503 SlowDown, as S3 answers a
   * writer it throttles: the next `count` such puts, or every one until `acceptPuts()`.
   * A later call replaces the earlier one.
   */
  refusePuts(options?: { readonly keys?: readonly string[]; readonly count?: number }): void;
  /** Lifts the refusal: puts are stored again. */
  acceptPuts(): void;
  /** The keys of the puts refused so far, in arrival order (each SDK attempt is one). */
  readonly refused: readonly string[];
}

/** The parts of s3rver (a Koa app) that its type declarations leave out. */
interface S3rverInternals extends EventEmitter {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> };
}
interface KoaContext {
  res: ServerResponse;
  method: string;
  path: string;
  querystring: string;
  status: number;
  type: string;
  body: unknown;
  get(header: string): string;
}

export async function startLocalSiteBucket(options: {
  bucket: string;
  host?: string;
  onObjectCreated: (event: S3Event) => void;
}): Promise<LocalSiteBucket> {
  const directory = await mkdtemp(join(tmpdir(), 'visitplannr-site-'));
  const server = new S3rver({
    address: options.host ?? '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    configureBuckets: [{ name: options.bucket, configs: [WEBSITE_CONFIGURATION] }],
  });
  const internals = server as unknown as S3rverInternals;
  const faults = createPutFaults();
  internals.middleware.unshift(faults.middleware, oneAtATimePerObject(), conditionalWrites(internals.store));
  internals.on('event', (event: S3Event) => options.onObjectCreated(event));
  const address = await server.run();
  const endpoint = `http://${address.address}:${address.port}`;
  return {
    bucket: options.bucket,
    endpoint,
    websiteUrl: `${endpoint}/${options.bucket}/`,
    origin: endpoint,
    faults: faults.controls,
    createClient: () =>
      new S3Client({
        endpoint,
        region: 'us-east-1',
        credentials: S3RVER_CREDENTIALS,
        forcePathStyle: true,
        // s3rver does not understand the aws-chunked checksum trailers the SDK sends by default.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A plain PutObject (the SDK adds `x-id`); uploads of parts and subresources carry other parameters. */
const isPlainPut = (ctx: KoaContext): boolean =>
  ctx.method === 'PUT' && [...new URLSearchParams(ctx.querystring).keys()].every((name) => name === 'x-id');

/** The object key of a path-style request (`/bucket/key`). */
const keyOf = (ctx: KoaContext): string => decodeURIComponent(ctx.path.split('/').slice(2).join('/'));

/** Refuses chosen puts before anything else sees them, so a refused put changes nothing. */
function createPutFaults(): {
  middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
  controls: SiteBucketFaults;
} {
  let refusing: { keys?: ReadonlySet<string>; remaining: number } | null = null;
  const refused: string[] = [];
  return {
    async middleware(ctx, next) {
      const key = keyOf(ctx);
      if (!refusing || !isPlainPut(ctx) || !key || (refusing.keys && !refusing.keys.has(key))) return next();
      if (--refusing.remaining <= 0) refusing = null;
      refused.push(key);
      ctx.status = 503;
      ctx.type = 'application/xml';
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
    },
    controls: {
      refusePuts({ keys, count = Number.POSITIVE_INFINITY } = {}) {
        refusing = { ...(keys ? { keys: new Set(keys) } : {}), remaining: count };
      },
      acceptPuts() {
        refusing = null;
      },
      refused,
    },
  };
}

/**
 * S3 reads and writes of an object are atomic; s3rver's are not (a PUT rewrites the file in
 * place, and a GET streams the file after answering its headers), so a read overlapping a
 * write could pair one version's etag with another's bytes. Requests for one object run one
 * at a time here, each until its response has been sent.
 */
function oneAtATimePerObject() {
  const queues = new Map<string, Promise<void>>();
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const [, bucket = '', ...keyParts] = ctx.path.split('/');
    if (!bucket || !['GET', 'HEAD', 'PUT'].includes(ctx.method)) return next();
    // A website request for the bucket's root is a read of its index document.
    const object = `${bucket}/${decodeURIComponent(keyParts.join('/')) || INDEX_DOCUMENT}`;
    const previous = queues.get(object) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    queues.set(object, mine);
    await previous;
    ctx.res.once('close', () => {
      release();
      if (queues.get(object) === mine) queues.delete(object);
    });
    await next();
  };
}

/**
 * If-Match / If-None-Match: * on PutObject, answered 412 PreconditionFailed like S3 (checked and
 * written as one step under the object's turn).
 */
function conditionalWrites(store: S3rverInternals['store']) {
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const ifMatch = ctx.get('if-match');
    const ifNoneMatch = ctx.get('if-none-match');
    if (!isPlainPut(ctx) || (!ifMatch && !ifNoneMatch)) return next();
    const [, bucket = ''] = ctx.path.split('/');
    const current = await store.getMetadata(bucket, keyOf(ctx)).catch(() => null);
    const holds = ifNoneMatch === '*' ? current === null : current !== null && current.etag === ifMatch;
    if (!holds) {
      ctx.status = 412;
      ctx.type = 'application/xml';
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
      return;
    }
    await next();
  };
}
