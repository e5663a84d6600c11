/**
 * The invalidate-cdn function, invoked by the site bucket's object-created notifications
 * (asynchronous invoke: a throw is retried by the platform, then dead-lettered).
 */
import type { S3Event } from 'aws-lambda';
import type { ObjectCreated } from '../../handlers/invalidate-cdn.js';
import { type InvalidateCdnDependencies, runInvalidateCdn } from '../flows/invalidate-cdn.js';

export const INVALIDATE_CDN = 'invalidate-cdn';

/** S3 notifications URL-encode keys the form way (a space is `+`). */
const decodeKey = (key: string): string => decodeURIComponent(key.replaceAll('+', ' '));

export function objectsCreated(event: S3Event): ObjectCreated[] {
  return event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) => ({
    key: decodeKey(record.s3.object.key),
    eTag: record.s3.object.eTag ?? null,
    sequencer: record.s3.object.sequencer,
  }));
}

export function createInvalidateCdnFunction(deps: InvalidateCdnDependencies): (event: S3Event) => Promise<void> {
  return async (event) => {
    try {
      await runInvalidateCdn(deps, objectsCreated(event));
    } catch (error) {
      deps.log.error('CDN invalidation failed; the notification will be retried', { error });
      throw error;
    }
  };
}
