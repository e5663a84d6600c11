/**
 * `npm run journey -- <correlationId>`: where a command went and where its time went, as a
 * waterfall at the terminal, asked of the API at GRAPHQL_URL (default the local stack's) through
 * the SDK, so it reads the same from the local stack and from AWS.
 */
import { createClient, GraphQLRequestError, NetworkError } from '@visitplannr/sdk';
import { DEFAULT_BAR_WIDTH, waterfall } from './waterfall.js';

const url = process.env['GRAPHQL_URL'] ?? 'http://127.0.0.1:4000/graphql';
const [correlationId] = process.argv.slice(2);

async function main(): Promise<number> {
  if (!correlationId) {
    console.error('usage: npm run journey -- <correlationId>   (the API at GRAPHQL_URL, default the local stack)');
    return 2;
  }
  try {
    const status = await createClient({ url, timeoutMs: 10_000 }).commandJourney(correlationId);
    if (!status) {
      console.error(`no command with correlation id ${correlationId} at ${url}`);
      return 1;
    }
    // The bars take what the terminal leaves after the labels (about 60 columns).
    const width = process.stdout.columns ? Math.max(10, process.stdout.columns - 65) : DEFAULT_BAR_WIDTH;
    for (const line of waterfall(correlationId, status, width)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof NetworkError) {
      console.error(
        `no API answers at ${url} (${error.message}); start the local stack with npm start, or set GRAPHQL_URL`,
      );
    } else if (error instanceof GraphQLRequestError) {
      console.error(`${url} refused the query: ${error.message}${error.code ? ` (${error.code})` : ''}`);
    } else throw error;
    return 1;
  }
}

process.exitCode = await main();
