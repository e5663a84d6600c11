// Entry point: the GraphQL API behind API Gateway's HTTP API (and, for the site's visitors, behind CloudFront).
import { authOptionsFrom, createAuthenticator, parseAuthMode } from '../auth/authenticator.js';
import { parseOriginSecrets, siteVisitorCheck } from '../edge/site-origin.js';
import { parseAllowedOrigins } from '../functions/cors.js';
import { createGraphQLFunction } from '../functions/graphql.js';
import { createProposalBudget, proposalLimitsFrom } from '../redis/proposal-budget.js';
import { toResolverLog } from '../runtime/logger.js';
import { graphqlContext } from './environment.js';

const { context, connected, commands, namespace, answerMarginMs } = graphqlContext();
// Init (top-level await of this ESM module), not the first request, opens the cache connection.
await connected;
// ORIGIN_SECRETS: what CloudFront adds to its requests (current, then previous during a rotation); none: no anonymous path.
const originSecrets = parseOriginSecrets(process.env['ORIGIN_SECRETS']);
export const handler = createGraphQLFunction(
  { ...context, log: toResolverLog(context.log) },
  {
    answerMarginMs,
    developerTools: process.env['ENABLE_DEVELOPER_TOOLS'] === 'true',
    // On AWS, mutations need an API key unless AUTH_MODE says otherwise; missing settings fail the cold start.
    authenticate: createAuthenticator(authOptionsFrom(process.env, parseAuthMode(process.env['AUTH_MODE'], 'api-key'))),
    ...(originSecrets.length > 0
      ? {
          siteVisitors: {
            check: siteVisitorCheck(originSecrets),
            budget: createProposalBudget({
              redis: commands,
              namespace,
              limits: proposalLimitsFrom(process.env),
              timeoutMs: 500,
            }),
          },
        }
      : {}),
    // Browser origins other than the site's own (which needs none: it calls /graphql on its own origin).
    allowedOrigins: parseAllowedOrigins(process.env['ALLOWED_ORIGINS']),
  },
);
