/**
 * The GraphQL function: Apollo Server on Lambda (API Gateway HTTP API, payload v2).
 * The local stack serves HTTP through this very handler.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { ApolloServer as CommonJSApolloServer } from '@apollo/server' with { 'resolution-mode': 'require' };
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { typeDefs } from '../../generated/type-defs.js';
import type { GraphQLContext } from '../../resolvers/context.js';
import { formatError } from '../../resolvers/errors.js';
import { resolvers } from '../../resolvers/index.js';
import type { Authenticator } from '../auth/authenticator.js';
import { withRequestBudget } from '../runtime/request-budget.js';
import { corsHeaders, preflightResponse } from './cors.js';
import { GRAPHQL_TIME_BUDGET } from './time-budget.js';
import { mutationAuthentication, type SiteVisitors } from './auth.js';
import { requestLimits } from './limits.js';
import { telemetryPlugin } from '../telemetry/apollo-plugin.js';
import { inRequestSpan } from '../telemetry/index.js';

/**
 * No operation of this API needs more than a few kilobytes. API Gateway lets 10 MB
 * through, so the function refuses large bodies itself, before parsing them.
 */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface GraphQLFunctionOptions {
  /** Introspection, field suggestions and the landing page: on locally, off on AWS unless asked for. */
  readonly developerTools: boolean;
  /** Who may call mutations (see auth/authenticator.ts). */
  readonly authenticate: Authenticator;
  /**
   * Requests through the site's edge: anonymous proposals within a budget (see graphql-auth.ts). Absent: no edge
   * path.
   */
  readonly siteVisitors?: SiteVisitors;
  /** Browser origins allowed to call the API (the site's); others get no CORS headers. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Kept back from the invocation's remaining time: the request's waits must end this long
   * before Lambda's timeout, so there is time to answer. Default: the budget's margin
   * (graphql-time-budget.ts).
   */
  readonly answerMarginMs?: number;
}

export type GraphQLFunction = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function createGraphQLFunction(context: GraphQLContext, options: GraphQLFunctionOptions): GraphQLFunction {
  const limits = requestLimits({ fieldSuggestions: options.developerTools });
  const server = new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: !options.developerTools,
    introspection: options.developerTools,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      // The armor's plugins never read the context, so they serve any context type.
      ...(limits.plugins as ApolloServerPlugin<GraphQLContext>[]),
      mutationAuthentication(options.authenticate, options.siteVisitors),
      // Names the request's span after the operation and records its server-side errors.
      telemetryPlugin<GraphQLContext>(),
      options.developerTools
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  // The integration ships CommonJS typed against Apollo's CommonJS build; the server object is the same API.
  const lambdaServer = server as unknown as CommonJSApolloServer<GraphQLContext>;
  const apollo = startServerAndCreateLambdaHandler(
    lambdaServer,
    handlers.createAPIGatewayProxyEventV2RequestHandler(),
    { context: () => Promise.resolve(context) },
  );
  const allowed = options.allowedOrigins ?? [];
  return async (event, lambdaContext) => {
    const origin = event.headers['origin'];
    if (event.requestContext.http.method === 'OPTIONS') return preflightResponse(allowed, origin);
    const answerBy =
      Date.now() + lambdaContext.getRemainingTimeInMillis() - (options.answerMarginMs ?? GRAPHQL_TIME_BUDGET.marginMs);
    const result =
      bodyBytes(event) > MAX_REQUEST_BYTES
        ? tooLarge
        : isMalformedJson(event)
          ? malformedJson
          : // The request's span ends with the answer; the spans of its command and notification are its children.
            await inRequestSpan({ name: 'POST /graphql' }, () =>
              withRequestBudget(
                answerBy,
                async () => (await apollo(event, lambdaContext, () => undefined)) as APIGatewayProxyStructuredResultV2,
              ),
            );
    // Every answer, errors included, carries the CORS headers, so the page can read why it failed.
    return { ...result, headers: { ...result.headers, ...corsHeaders(allowed, origin) } };
  };
}

const bodyBytes = (event: APIGatewayProxyEventV2): number =>
  event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : 0;

/**
 * A JSON POST whose body does not parse: Apollo would answer plain text; callers get a GraphQL error with a code
 * instead.
 */
const isMalformedJson = (event: APIGatewayProxyEventV2): boolean => {
  const contentType = event.headers['content-type'] ?? '';
  if (event.requestContext.http.method !== 'POST' || !contentType.startsWith('application/json') || !event.body)
    return false;
  try {
    JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    return false;
  } catch {
    return true;
  }
};

const malformedJson: APIGatewayProxyStructuredResultV2 = {
  statusCode: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
  }),
};

const tooLarge: APIGatewayProxyStructuredResultV2 = {
  statusCode: 413,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    errors: [
      { message: `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } },
    ],
  }),
};
