/**
 * A local stand-in for API Gateway's HTTP API: turns each HTTP request into a payload
 * v2 event and calls the same Lambda handler AWS would run.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Log } from '../src/shell/runtime/logger.js';
import { BodyTooLargeError, closeServer, readBody } from './http.js';

export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HttpGatewayOptions {
  readonly host: string;
  readonly port: number;
  /** Routes by exact path; `/` answers with a pointer to the GraphQL endpoint. */
  readonly routes: Readonly<Record<string, HttpApiHandler>>;
  readonly log: Log;
  /** API Gateway's payload limit is 10 MB; we keep a tighter one. */
  readonly maxBodyBytes?: number;
}

export interface HttpGateway {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const server: Server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.log.error('gateway failed to answer', { error });
      if (!response.headersSent)
        send(response, {
          statusCode: 500,
          body: JSON.stringify({ message: 'Internal Server Error' }),
          headers: { 'content-type': 'application/json' },
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`, stop: () => closeServer(server) };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpGatewayOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const handler = options.routes[url.pathname];
  if (!handler) {
    const body =
      url.pathname === '/' ? JSON.stringify({ graphql: '/graphql' }) : JSON.stringify({ message: 'Not Found' });
    send(response, {
      statusCode: url.pathname === '/' ? 200 : 404,
      body,
      headers: { 'content-type': 'application/json' },
    });
    return;
  }
  let body: string;
  try {
    body = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    send(response, {
      statusCode: 413,
      body: JSON.stringify({ message: 'Request Entity Too Large' }),
      headers: { 'content-type': 'application/json' },
    });
    return;
  }
  const result = await handler(toEvent(request, url, body));
  send(response, result);
}

function toEvent(request: IncomingMessage, url: URL, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    queryStringParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
