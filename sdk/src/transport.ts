/** GraphQL over HTTP: one POST per operation, answers unwrapped or turned into typed errors. */
import { type GraphQLErrorEntry, GraphQLRequestError, NetworkError } from './errors.js';
import type { TypedDocumentString } from './generated/strings.js';

/** Where and how {@link createClient}'s client sends its requests. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  readonly url: string;
  /** Used instead of the platform's `fetch` (e.g. to add tracing or a proxy agent). */
  readonly fetch?: typeof fetch;
  /** Sent with every request, e.g. `x-api-key` or `authorization`; `content-type` is always `application/json`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request, default 30 000; past it the request is aborted and fails with NetworkError. */
  readonly timeoutMs?: number;
}

export type GraphQLRequest = <Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
) => Promise<Result>;

interface GraphQLResponse {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLErrorEntry[];
}

export function createTransport(options: ClientOptions): GraphQLRequest {
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
    if (!body)
      throw new NetworkError(
        `${options.url} answered HTTP ${response.status} without a GraphQL response`,
        response.status,
      );
    if (body.errors?.length) throw new GraphQLRequestError(body.errors, response.status);
    if (body.data === undefined || body.data === null)
      throw new NetworkError(`${options.url} answered HTTP ${response.status} without data`, response.status);
    return body.data as never;
  };
}

function parse(text: string): GraphQLResponse | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && ('data' in body || 'errors' in body)
      ? (body as GraphQLResponse)
      : undefined;
  } catch {
    return undefined;
  }
}
