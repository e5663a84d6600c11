/**
 * The GraphQL function: Apollo Server on Lambda (API Gateway HTTP API, payload v2).
 * The local stack serves HTTP through this very handler.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApolloServer as CommonJSApolloServer } from '@apollo/server' with { 'resolution-mode': 'require' };
import { typeDefs } from '../../generated/type-defs.js';
import type { GraphQLContext } from '../../resolvers/context.js';
import { formatError } from '../../resolvers/errors.js';
import { resolvers } from '../../resolvers/index.js';
import { corsHeaders, preflightResponse } from './cors.js';

export interface GraphQLFunctionOptions {
  /** Introspection and the landing page: on locally, off on AWS unless asked for. */
  readonly developerTools: boolean;
  /** Browser origins allowed to call the API (the site's); others get no CORS headers. */
  readonly allowedOrigins?: readonly string[];
}

export type GraphQLFunction = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function createGraphQLFunction(context: GraphQLContext, options: GraphQLFunctionOptions): GraphQLFunction {
  const server = new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: options.developerTools,
    plugins: [options.developerTools ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled()],
  });
  // The integration ships CommonJS typed against Apollo's CommonJS build; the server object is the same API.
  const lambdaServer = server as unknown as CommonJSApolloServer<GraphQLContext>;
  const apollo = startServerAndCreateLambdaHandler(lambdaServer, handlers.createAPIGatewayProxyEventV2RequestHandler(), { context: async () => context });
  const allowed = options.allowedOrigins ?? [];
  return async (event, lambdaContext) => {
    const origin = event.headers['origin'];
    if (event.requestContext.http.method === 'OPTIONS') return preflightResponse(allowed, origin);
    const result = (await apollo(event, lambdaContext, () => undefined)) as APIGatewayProxyStructuredResultV2;
    return { ...result, headers: { ...result.headers, ...corsHeaders(allowed, origin) } };
  };
}
