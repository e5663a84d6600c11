/**
 * The site bucket over S3: HeadObject for what is published, and conditional PutObject
 * (If-Match on the etag seen, If-None-Match when there was nothing) so two writers
 * cannot silently overwrite each other; S3's 412/409 become PublishConflictError. The writer's
 * trace rides in the object's own metadata, so it exists exactly when the object does: the
 * object-created notification (which carries no metadata) can never arrive before it.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { isTraceCarrier, type TraceCarrier } from '../../domain/trace.js';
import { PublishConflictError } from '../../errors/index.js';
import type { PublishedObject, SiteBucket, SiteObject, Traced } from '../../ports/index.js';

/** Object metadata key (sent as `x-amz-meta-projection-version`). */
export const PROJECTION_VERSION_METADATA = 'projection-version';

/** The writer's W3C carrier as object metadata (`x-amz-meta-traceparent`, `-tracestate`), only when there is one. */
const traceMetadata = (trace: TraceCarrier | undefined): Record<string, string> =>
  trace ? { traceparent: trace.traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate } : {}) } : {};

/** The carrier in an object's metadata; a damaged one is dropped. */
function traceInMetadata(metadata: Record<string, string> | undefined): TraceCarrier | undefined {
  const tracestate = metadata?.['tracestate'];
  const carrier = { traceparent: metadata?.['traceparent'], ...(tracestate === undefined ? {} : { tracestate }) };
  return isTraceCarrier(carrier) ? carrier : undefined;
}

const statusOf = (error: unknown): number | undefined =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

export function createS3SiteBucket({ client, bucket }: { client: S3Client; bucket: string }): SiteBucket {
  return {
    async head(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        const version = head.Metadata?.[PROJECTION_VERSION_METADATA];
        const value: PublishedObject = {
          etag: head.ETag ?? '',
          projectionVersion: version === undefined ? null : Number(version),
        };
        const trace = traceInMetadata(head.Metadata);
        return (trace ? { value, trace } : { value }) satisfies Traced<PublishedObject>;
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },

    async put(object: SiteObject, expected: PublishedObject | null, trace?: TraceCarrier) {
      try {
        const written = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: object.body,
            ContentType: object.contentType,
            CacheControl: object.cacheControl,
            Metadata: {
              ...(object.projectionVersion === undefined
                ? {}
                : { [PROJECTION_VERSION_METADATA]: String(object.projectionVersion) }),
              ...traceMetadata(trace),
            },
            ...(expected ? { IfMatch: expected.etag } : { IfNoneMatch: '*' }),
          }),
        );
        return written.ETag ?? '';
      } catch (error) {
        // 412: the precondition failed; 409: a concurrent conditional write is in progress.
        const status = statusOf(error);
        if (status === 412 || status === 409) throw new PublishConflictError(object.key, { cause: error });
        throw error;
      }
    },
  };
}
