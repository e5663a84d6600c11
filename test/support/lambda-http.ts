import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { startHttpGateway } from '../../local/http-gateway.js';
import { localFunction } from '../../local/local-function.js';
import { silentLog } from './stores.js';

/**
 * One POST to a Lambda handler through the local twins of what AWS puts before it: the local
 * API Gateway makes the real HTTP request into a payload v2 event, and the function is invoked
 * as Lambda does (its context, its timeout). A failed invocation (one past its timeout, say)
 * rejects here with its own error rather than coming back as a 500.
 */
export async function postToFunction(
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>,
  body: unknown,
  { headers = {}, timeoutMs }: { readonly headers?: Record<string, string>; readonly timeoutMs?: number } = {},
): Promise<{ status: number; text: string }> {
  const fn = localFunction('graphql', handler, timeoutMs === undefined ? {} : { timeoutMs });
  let failure: { error: unknown } | undefined;
  const gateway = await startHttpGateway({
    host: '127.0.0.1',
    port: 0,
    routes: {
      '/graphql': (event) =>
        fn.invoke(event).catch((error: unknown) => {
          failure = { error };
          throw error;
        }),
    },
    log: silentLog,
  });
  try {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (failure) throw failure.error;
    return { status: response.status, text };
  } finally {
    await gateway.stop();
  }
}
