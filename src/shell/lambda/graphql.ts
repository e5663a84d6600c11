// Entry point: the GraphQL API behind API Gateway's HTTP API.
import { authOptionsFrom, createAuthenticator, parseAuthMode } from '../auth/authenticator.js';
import { parseAllowedOrigins } from '../functions/cors.js';
import { createGraphQLFunction } from '../functions/graphql.js';
import { toResolverLog } from '../runtime/logger.js';
import { graphqlContext } from './environment.js';

const { context, connected, answerMarginMs } = graphqlContext();
// Init (top-level await of this ESM module), not the first request, opens the cache connection.
await connected;
export const handler = createGraphQLFunction(
  { ...context, log: toResolverLog(context.log) },
  {
    answerMarginMs,
    developerTools: process.env['ENABLE_DEVELOPER_TOOLS'] === 'true',
    // On AWS, mutations need an API key unless AUTH_MODE says otherwise; missing settings fail the cold start.
    authenticate: createAuthenticator(authOptionsFrom(process.env, parseAuthMode(process.env['AUTH_MODE'], 'api-key'))),
    // The site's origin(s), so its propose form may call the API from the browser.
    allowedOrigins: parseAllowedOrigins(process.env['ALLOWED_ORIGINS']),
  },
);
