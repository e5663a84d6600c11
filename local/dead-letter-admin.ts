/**
 * The operator's door to the local stack's dead letters, served by its HTTP gateway
 * (loopback by default): `GET` lists them, `POST {"ids"?: [...]}` redrives them.
 * `npm run dead-letters` is its command-line client.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DeadLetter, DeadLetterStore } from './dead-letters.js';

export const DEAD_LETTERS_PATH = '/admin/dead-letters';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function deadLetterRoute(store: DeadLetterStore, deliver: (letter: DeadLetter) => Promise<void>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    if (method === 'GET') return json(200, { deadLetters: store.list() });
    if (method !== 'POST') return json(405, { message: 'GET lists dead letters; POST redrives them.' });
    // Same CSRF rule as the API: a browser form cannot send JSON.
    if (!event.headers['content-type']?.startsWith('application/json'))
      return json(415, { message: 'Send a JSON body with content-type application/json.' });
    let ids: string[] | undefined;
    try {
      const body = JSON.parse(event.body || '{}') as { ids?: unknown };
      if (body.ids !== undefined && !(Array.isArray(body.ids) && body.ids.every((id) => typeof id === 'string')))
        throw new TypeError('ids must be a list of strings');
      ids = body.ids;
    } catch (error) {
      return json(400, {
        message: `Expected {"ids"?: string[]}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    return json(200, { results: await store.redrive(deliver, ids) });
  };
}
