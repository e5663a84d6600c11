/**
 * The S3 site bucket adapter through the real S3 client, on s3rver with the local stack's
 * conditional writes: the SiteBucket contract (the same assertions the in-memory bucket passes).
 */
import { afterAll } from 'vitest';
import { type LocalSiteBucket, startLocalSiteBucket } from '../../local/s3rver-bucket.js';
import { createS3SiteBucket } from '../../src/shell/s3/site-bucket.js';
import { describeSiteBucketContract } from '../contract/site-bucket.contract.js';

let site: LocalSiteBucket | undefined;
afterAll(async () => {
  await site?.stop();
});

describeSiteBucketContract('S3 (s3rver)', async () => {
  site = await startLocalSiteBucket({ bucket: 'site-bucket-contract', onObjectCreated: () => undefined });
  return createS3SiteBucket({ client: site.createClient(), bucket: site.bucket });
});
