/** GraphQL over HTTP: one POST per operation, answers unwrapped or turned into typed errors. */
import { type GraphQLErrorEntry, GraphQLRequestError, NetworkError } from './errors.js';
import type { TypedDocumentString } from './generated/strings.js';

export interface TransportOptions {
  readonly url: string;
  readonly fetch?: typeof fetch;
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; past it the request is aborted and fails with NetworkError. */
  readonly timeoutMs?: number;
}

export type GraphQLRequest = <Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables) => Promise<Result>;

interface GraphQLResponse {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLErrorEntry[];
}

export function createTransport(options: TransportOptions): GraphQLRequest {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (document, variables) => {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(options.url, {
        method: 'POST',
        // Last, so it is always sent: Apollo's CSRF prevention refuses requests without it.
        headers: { ...options.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: document.toString(), variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new NetworkError(`request to ${options.url} failed`, undefined, { cause: error });
    }
    const body = parse(text);
    if (!body) throw new NetworkError(`${options.url} answered HTTP ${response.status} without a GraphQL response`, response.status);
    if (body.errors?.length) throw new GraphQLRequestError(body.errors, response.status);
    if (body.data === undefined || body.data === null) throw new NetworkError(`${options.url} answered HTTP ${response.status} without data`, response.status);
    return body.data as never;
  };
}

function parse(text: string): GraphQLResponse | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && ('data' in body || 'errors' in body) ? (body as GraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}
