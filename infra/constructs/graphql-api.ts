/**
 * The GraphQL Lambda behind an API Gateway HTTP API: POST and GET on /graphql (GET
 * serves queries; Apollo refuses GET mutations), stage-wide throttling and JSON access
 * logs. No CORS: the homepage calls /graphql on its own origin (CloudFront, whose /graphql
 * behaviour is this API, see site.ts). The function knows the origin secrets CloudFront
 * adds, so the site's anonymous visitors may propose within their budget.
 */
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type { ProposalLimits } from '../../src/shell/redis/proposal-budget.js';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acceptFinding } from '../nag.js';
import type { Capability } from '../../src/topology/topology.js';
import { graphqlFunctionTimeoutMs, withMutationDeadline } from '../../src/shell/graphql/time-budget.js';
import { type CapabilityResources, grantCapabilities, runtimeFor } from './capabilities.js';
import { LAMBDA_ENTRY_DIR } from './paths.js';
import { ServiceFunction } from './service-function.js';

/** The resolvers write commands, read outcomes and views, and await notifications. */
export const GRAPHQL_USES: readonly Capability[] = [
  'events:read',
  'events:append',
  'read-models:read',
  'notifications',
];

/** Who may call mutations (src/shell/auth): API keys by their SHA-256 digests, or anyone. */
export type GraphQLAuth = { readonly mode: 'api-key'; readonly apiKeySha256: string } | { readonly mode: 'none' };

export interface GraphQLApiProps {
  readonly auth: GraphQLAuth;
  readonly resources: CapabilityResources;
  /**
   * The secrets CloudFront adds to the site's requests, comma-separated: the current one, then the
   * previous one during a rotation.
   */
  readonly originSecrets: string;
  /** The site's anonymous visitors' proposal budget. */
  readonly proposalLimits: ProposalLimits;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly mutationDeadline: Duration;
  /**
   * Instances reserved for (and capping) the GraphQL function, so waiting mutations cannot
   * take the account's whole concurrency from the handlers that answer them. Undefined: no
   * reservation (accounts whose quota leaves nothing to reserve).
   */
  readonly reservedConcurrency?: number;
}

export class GraphQLApi extends Construct {
  readonly api: HttpApi;
  readonly function: ServiceFunction;
  readonly url: string;
  /** The API's host name, for CloudFront's origin. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: GraphQLApiProps) {
    super(scope, id);
    const runtime = runtimeFor(props.resources, GRAPHQL_USES);
    this.function = new ServiceFunction(this, 'Function', {
      entry: `${LAMBDA_ENTRY_DIR}graphql.ts`,
      description: 'visitplannr GraphQL API',
      // More memory is more CPU: the cold start parses the schema and the SDK.
      memorySize: 1024,
      // The mutation waits up to its deadline, then reads the durable outcome: every wait after
      // the deadline, DynamoDB's attempts included, fits in this (graphql-time-budget.ts).
      timeout: Duration.millis(graphqlFunctionTimeoutMs(withMutationDeadline(props.mutationDeadline.toMilliseconds()))),
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: {
        ...runtime.environment,
        MUTATION_DEADLINE_MS: String(props.mutationDeadline.toMilliseconds()),
        ENABLE_DEVELOPER_TOOLS: 'false',
        // Plain environment, not Secrets Manager: the function sits in isolated subnets, and a
        // secret store would need an interface endpoint (~$7/month per AZ) or a NAT. Whoever can
        // read this configuration can read the distribution's too.
        ORIGIN_SECRETS: props.originSecrets,
        ANON_PROPOSALS_PER_VISITOR: String(props.proposalLimits.perVisitor),
        ANON_PROPOSALS_GLOBAL: String(props.proposalLimits.global),
        ANON_PROPOSAL_WINDOW_SECONDS: String(props.proposalLimits.windowSeconds),
        AUTH_MODE: props.auth.mode,
        // Digests, not keys: reading the environment does not let anyone call.
        ...(props.auth.mode === 'api-key' ? { API_KEY_SHA256: props.auth.apiKeySha256 } : {}),
      },
      ...(runtime.placement ? { placement: runtime.placement } : {}),
    });
    grantCapabilities(props.resources, this.function.role, GRAPHQL_USES);
    this.function.alarmOnErrors();

    this.api = new HttpApi(this, 'Api', {
      description: 'visitplannr GraphQL',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.api.addRoutes({
      path: '/graphql',
      methods: [HttpMethod.POST, HttpMethod.GET],
      integration: new HttpLambdaIntegration('GraphQL', this.function.fn),
    });
    acceptFinding(
      this.api,
      'AwsSolutions-APIG4',
      "The API is public by design: the homepage's browsers query it anonymously. Abuse is bounded by the stage's throttling and the anonymous proposal budget; what a caller may do is decided by the GraphQL function, not by a gateway authorizer.",
    );
    this.url = `${this.api.apiEndpoint}/graphql`;
    this.domainName = Fn.select(2, Fn.split('/', this.api.apiEndpoint));
  }
}
