// Entry point: the GraphQL API behind API Gateway's HTTP API (and, for the site's visitors, behind CloudFront).
import { applyRequestBudget, budgetedClientConfig } from '../dynamodb/request-budget.js';
import { createDynamoDBClient } from '../dynamodb/clients.js';
import { withMutationDeadline } from '../graphql/time-budget.js';
import { whenReady } from '../redis/connection.js';
import { createLogger } from '../runtime/logger.js';
import { awsApp, awsPlatform, flushedAfter, settings } from './aws.js';

/** How long a cold start waits, during init, for the cache connection before it serves anyway. */
const CACHE_CONNECT_AT_INIT_MS = 3000;

const initStarted = Date.now();
const log = createLogger('visitplannr-graphql', settings.logLevel);
const budget = withMutationDeadline(settings.mutationDeadlineMs);
const platform = awsPlatform(() => {
  const client = createDynamoDBClient(budgetedClientConfig(budget.dynamodb));
  applyRequestBudget(client);
  return client;
});
// The cache connection is opened now (init, a top-level await of this ESM module), not by the
// first request, so the first mutation's SUBSCRIBE finds it open. The first acknowledgement is
// logged with its time: the cold-start figure the first subscribe's deadline is chosen from.
const subscriberConnection = platform.redis('graphql-subscriber', { subscriber: true });
const app = awsApp(platform);
const context = app.graphqlContext(
  {
    ackMs: budget.subscribeAckMs,
    firstAckMs: budget.firstSubscribeAckMs,
    onFirstAck: (ackMs) => log.info('first subscribe acknowledged', { ackMs, sinceInitMs: Date.now() - initStarted }),
  },
  subscriberConnection,
);
const outcome = await whenReady(subscriberConnection, CACHE_CONNECT_AT_INIT_MS);
log.info('cache connection at init', { outcome, elapsedMs: Date.now() - initStarted });

export const handler = flushedAfter(app.graphqlFunction(context, { answerMarginMs: budget.marginMs }));
