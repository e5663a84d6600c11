// Entry point: the GraphQL API behind API Gateway's HTTP API.
import { parseAllowedOrigins } from '../functions/cors.js';
import { createGraphQLFunction } from '../functions/graphql.js';
import { toResolverLog } from '../runtime/logger.js';
import { graphqlContext } from './environment.js';

const context = graphqlContext();
export const handler = createGraphQLFunction(
  { ...context, log: toResolverLog(context.log) },
  { developerTools: process.env['ENABLE_DEVELOPER_TOOLS'] === 'true', allowedOrigins: parseAllowedOrigins(process.env['ALLOWED_ORIGINS']) },
);
