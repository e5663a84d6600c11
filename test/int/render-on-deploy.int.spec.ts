/**
 * The deployment's first render (infra: a Trigger invokes render-homepage once, with an
 * empty payload): the function renders the projection as it is, without stream records,
 * so a fresh stack serves a page before the first proposal. DynamoDB Local + s3rver.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { renderHomepage } from '../../src/handlers/render-homepage.js';
import { readModelStreamFunction } from '../../src/shell/runner/deliveries.js';
import { type LocalSiteBucket, startLocalSiteBucket } from '../../local/s3rver-bucket.js';
import { createS3SiteBucket } from '../../src/shell/s3/site-bucket.js';
import { freshStores, silentLog } from '../support/stores.js';

let site: LocalSiteBucket;
beforeAll(async () => {
  site = await startLocalSiteBucket({ bucket: 'render-on-deploy', onObjectCreated: () => undefined });
});
afterAll(async () => {
  await site?.stop();
});

it('an invocation without records renders the current projection (here: none yet) into the empty bucket', async () => {
  const { readModels } = await freshStores();
  const bucket = createS3SiteBucket({ client: site.createClient(), bucket: site.bucket });
  const render = readModelStreamFunction(renderHomepage, {
    readModels,
    site: bucket,
    clock: () => new Date().toISOString(),
    log: silentLog,
  });
  expect(await bucket.head(HOMEPAGE_KEY)).toBeNull();

  expect(await render({} as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });

  expect(await bucket.head(HOMEPAGE_KEY)).toMatchObject({ value: { projectionVersion: 0 } });
});
