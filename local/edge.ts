/**
 * The local edge: one origin for the site and the API, as CloudFront is on AWS. `/graphql`
 * goes to the local API with the origin secret and the viewer's address added (and only the
 * headers CloudFront's origin request policy forwards); everything else is read from the
 * site bucket's website endpoint. No caching: the local stack shows every render at once.
 */
import {
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import { API_PATH } from '../src/site/assets.js';
import {
  FORWARDED_VIEWER_HEADERS,
  ORIGIN_SECRET_HEADER,
  VIEWER_ADDRESS_HEADER,
} from '../src/shell/edge/site-origin.js';
import { closeServer } from './http.js';

export interface LocalEdge {
  /** The homepage, e.g. http://127.0.0.1:<port>/ */
  readonly url: string;
  readonly origin: string;
  stop(): Promise<void>;
}

export interface LocalEdgeOptions {
  readonly host: string;
  readonly port?: number;
  /** The site bucket's website root, e.g. http://127.0.0.1:<port>/<bucket>/ */
  readonly siteUrl: string;
  /** The local API's GraphQL endpoint. */
  readonly apiUrl: string;
  readonly originSecret: string;
}

// The viewer headers a read of the site passes on (what CloudFront's caching-optimized behaviour uses).
const SITE_HEADERS = ['accept', 'accept-encoding', 'if-none-match', 'if-modified-since', 'range'];

export async function startLocalEdge(options: LocalEdgeOptions): Promise<LocalEdge> {
  const site = new URL(options.siteUrl);
  const api = new URL(options.apiUrl);
  const server: Server = createServer((viewer, response) => {
    const path = new URL(viewer.url ?? '/', 'http://edge').pathname;
    if (path === API_PATH)
      return forward(
        viewer,
        response,
        api,
        viewer.url?.slice(API_PATH.length) ?? '',
        toApi(viewer, options.originSecret),
      );
    // CloudFront's default behaviour allows GET and HEAD only.
    if (viewer.method !== 'GET' && viewer.method !== 'HEAD') {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('This distribution serves GET and HEAD here.');
      return;
    }
    forward(viewer, response, site, (viewer.url ?? '/').replace(/^\//, ''), pick(viewer, SITE_HEADERS));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const address = server.address();
  const origin = `http://${options.host}:${typeof address === 'object' && address ? address.port : 0}`;
  return { url: `${origin}/`, origin, stop: () => closeServer(server) };
}

function pick(viewer: IncomingMessage, names: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = viewer.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** A viewer's own secret or address header is dropped (not in the allowlist) and replaced, as CloudFront does. */
function toApi(viewer: IncomingMessage, secret: string): Record<string, string> {
  const body = viewer.headers['content-length'];
  return {
    ...pick(viewer, FORWARDED_VIEWER_HEADERS),
    ...(body ? { 'content-length': body } : {}),
    [ORIGIN_SECRET_HEADER]: secret,
    [VIEWER_ADDRESS_HEADER]: `${viewer.socket.remoteAddress ?? 'unknown'}:${viewer.socket.remotePort ?? 0}`,
  };
}

/** `rest` is appended to the target's path (the query string included). */
function forward(
  viewer: IncomingMessage,
  response: ServerResponse,
  target: URL,
  rest: string,
  headers: Record<string, string>,
): void {
  const upstream = httpRequest(
    { hostname: target.hostname, port: target.port, method: viewer.method, path: `${target.pathname}${rest}`, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end('The origin did not answer.');
  });
  viewer.pipe(upstream);
}
