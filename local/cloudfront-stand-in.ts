/**
 * A CloudFront stand-in (there is no local CloudFront): an HTTP endpoint that answers
 * CreateInvalidation (REST-XML, API version 2020-05-31) so the real
 * `@aws-sdk/client-cloudfront` runs, and records every call. Like CloudFront, a repeated
 * caller reference with the same paths returns the existing invalidation; with other
 * paths it is refused with InvalidationBatchAlreadyExists.
 */
import { createServer, type Server } from 'node:http';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { closeServer, readBody } from './http.js';

export interface RecordedInvalidation {
  readonly id: string;
  readonly distributionId: string;
  readonly callerReference: string;
  readonly paths: readonly string[];
}

export interface CloudFrontStandIn {
  readonly endpoint: string;
  /** Every CreateInvalidation call, repeats included, in arrival order. */
  readonly calls: readonly RecordedInvalidation[];
  /** Distinct invalidations (one per caller reference). */
  invalidations(): readonly RecordedInvalidation[];
  /**
   * While refusing, every call gets TooManyInvalidationsInProgress (CloudFront's limit on
   * concurrent invalidations): exercises the retry path.
   */
  refuse(refusing: boolean): void;
  createClient(): CloudFrontClient;
  stop(): Promise<void>;
}

const NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const ROUTE = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/;

export async function startCloudFrontStandIn(): Promise<CloudFrontStandIn> {
  const calls: RecordedInvalidation[] = [];
  const byReference = new Map<string, RecordedInvalidation>();
  let refusing = false;
  const parser = new XMLParser({ isArray: (name) => name === 'Path', parseTagValue: false });
  const builder = new XMLBuilder({ ignoreAttributes: false });
  const xml = (body: object) => `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(body)}`;
  const error = (code: string, message: string) =>
    xml({ ErrorResponse: { '@_xmlns': NAMESPACE, Error: { Type: 'Sender', Code: code, Message: message } } });

  const server: Server = createServer((request, response) => {
    const route = ROUTE.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
    readBody(request)
      .then((body) => {
        if (request.method !== 'POST' || !route?.[1]) {
          response.writeHead(400, { 'content-type': 'text/xml' });
          response.end(error('InvalidArgument', 'the CloudFront stand-in serves CreateInvalidation only'));
          return;
        }
        if (refusing) {
          response.writeHead(400, { 'content-type': 'text/xml' });
          response.end(
            error(
              'TooManyInvalidationsInProgress',
              'Processing your request would cause the maximum number of in-progress invalidations to be exceeded.',
            ),
          );
          return;
        }
        const batch = (
          parser.parse(body) as {
            InvalidationBatch?: { CallerReference?: string; Paths?: { Items?: { Path?: string[] } } };
          }
        ).InvalidationBatch;
        const callerReference = batch?.CallerReference;
        const paths = batch?.Paths?.Items?.Path ?? [];
        if (!callerReference || paths.length === 0) {
          response.writeHead(400, { 'content-type': 'text/xml' });
          response.end(error('MissingBody', 'CallerReference and at least one path are required'));
          return;
        }
        const existing = byReference.get(callerReference);
        if (existing && existing.paths.join('\n') !== paths.join('\n')) {
          response.writeHead(409, { 'content-type': 'text/xml' });
          response.end(error('InvalidationBatchAlreadyExists', 'this caller reference was used for other paths'));
          return;
        }
        const invalidation = existing ?? {
          id: `I${String(byReference.size + 1).padStart(13, '0')}`,
          distributionId: route[1],
          callerReference,
          paths,
        };
        byReference.set(callerReference, invalidation);
        calls.push(invalidation);
        response.writeHead(201, {
          'content-type': 'text/xml',
          location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${route[1]}/invalidation/${invalidation.id}`,
        });
        response.end(
          xml({
            Invalidation: {
              '@_xmlns': NAMESPACE,
              Id: invalidation.id,
              Status: 'Completed',
              CreateTime: new Date().toISOString(),
              InvalidationBatch: {
                Paths: { Quantity: paths.length, Items: { Path: paths } },
                CallerReference: callerReference,
              },
            },
          }),
        );
      })
      .catch((failure: unknown) => {
        response.writeHead(500, { 'content-type': 'text/xml' });
        response.end(error('ServiceUnavailable', String(failure)));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    endpoint,
    calls,
    invalidations: () => [...byReference.values()],
    refuse(value) {
      refusing = value;
    },
    createClient: () =>
      new CloudFrontClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    stop: () => closeServer(server),
  };
}
