/**
 * The whole system on AWS, in the order data flows: tables → network and cache → the
 * GraphQL API (writes commands, awaits notifications) → the stream's two readers (the
 * decider and the fan-out) → the bus and one function per topology route, the homepage's
 * renderer and CDN invalidator among them.
 */
import { CfnOutput, CfnParameter, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { VisitplannrError } from '../src/errors/index.js';
import { type AnyRoute, type HandlerName, topology } from '../src/topology/topology.js';
import type { CapabilityResources } from './constructs/capabilities.js';
import { GRAPHQL_TIME_BUDGET } from '../src/shell/graphql/time-budget.js';
import { MIN_SECRET_LENGTH } from '../src/shell/edge/site-origin.js';
import { DEFAULT_PROPOSAL_LIMITS, type ProposalLimits } from '../src/shell/redis/proposal-budget.js';
import { CommandFailures } from './constructs/command-failures.js';
import { Fanout } from './constructs/fanout.js';
import { type GraphQLAuth, GraphQLApi } from './constructs/graphql-api.js';
import { Handlers } from './constructs/handlers.js';
import { Network } from './constructs/network.js';
import { NotificationCache } from './constructs/notification-cache.js';
import type { SiteObject } from '../src/ports/index.js';
import { Site } from './constructs/site.js';
import { SiteAssets } from './constructs/site-assets.js';
import { Tables } from './constructs/tables.js';
import { OtlpTracing, type TracingMode } from './constructs/tracing.js';

export type AuthMode = 'api-key' | 'none';

export interface VisitplannrStackProps extends StackProps {
  /** The routes to deploy; the topology declaration unless a test passes another. */
  readonly routes?: readonly AnyRoute[];
  /**
   * Who may call mutations. `api-key` (default): the deploy supplies the keys' SHA-256
   * digests as the `ApiKeySha256` parameter. `none`: anyone. (`jwt` needs the JWKS from
   * the internet, which the GraphQL function, in isolated subnets, cannot reach.)
   */
  readonly authMode?: AuthMode;
  /** The homepage's static objects (`buildHomepageAssets()`), deployed beside the rendered page. */
  readonly siteAssets: readonly SiteObject[];
  /** The site's anonymous visitors' proposal budget; default DEFAULT_PROPOSAL_LIMITS. */
  readonly proposalLimits?: ProposalLimits;
  /** The GraphQL function's reserved concurrency (`-c graphqlReservedConcurrency=…`); see parseReservedConcurrency. */
  readonly graphqlReservedConcurrency?: number | 'none';
  /**
   * `otlp` (default): every function exports its spans through the collector layer to X-Ray's
   * OTLP endpoint (constructs/tracing.ts). `off` (`-c tracing=off`): no layer, no endpoint, no
   * X-Ray permission; the functions start no SDK.
   */
  readonly tracing?: TracingMode;
}

export class InvalidStackConfigurationError extends VisitplannrError {
  override readonly name = 'InvalidStackConfigurationError';
  readonly code = 'INVALID_STACK_CONFIGURATION';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The GraphQL function's reserved concurrency unless a deploy says otherwise. Each waiting
 * mutation holds one instance (concurrency ≈ mutations/s × answer latency, README "Capacity"):
 * 50 serves the stage's 100 requests/s at answers up to 0.5 s, while an account at the default
 * quota of 1000 keeps 950 for the handlers (they need a few dozen). Lambda refuses a reservation
 * that leaves fewer than 10 unreserved, so an account whose quota is still 10 deploys with `none`.
 */
export const DEFAULT_GRAPHQL_RESERVED_CONCURRENCY = 50;

/** A context value as the operator wrote it: `-c` gives strings, cdk.json may give any JSON. */
const written = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Reads the `graphqlReservedConcurrency` context value: a positive whole number, or `none` for no reservation. */
export function parseReservedConcurrency(value: unknown): number | 'none' {
  if (value === undefined) return DEFAULT_GRAPHQL_RESERVED_CONCURRENCY;
  if (value === 'none') return 'none';
  const count = typeof value === 'number' ? value : /^\d+$/.test(written(value)) ? Number(value) : Number.NaN;
  // 0 would throttle every request: not a setting anyone means.
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidStackConfigurationError(
      'graphqlReservedConcurrency',
      `graphqlReservedConcurrency must be a positive whole number or "none", not "${written(value)}"`,
    );
  }
  return count;
}

/** Reads the `tracing` context value (`-c tracing=…`). */
export function parseTracing(value: unknown): TracingMode {
  if (value === undefined || value === 'otlp') return 'otlp';
  if (value === 'off') return 'off';
  throw new InvalidStackConfigurationError('tracing', `tracing must be "otlp" or "off", not "${written(value)}"`);
}

/** Reads the `authMode` context value (`-c authMode=…`). */
export function parseAuthMode(value: unknown): AuthMode {
  if (value === undefined || value === 'api-key') return 'api-key';
  if (value === 'none') return 'none';
  if (value === 'jwt') {
    throw new InvalidStackConfigurationError(
      'authMode',
      'authMode=jwt is not deployable by this stack: the GraphQL function runs in isolated subnets and cannot fetch the JWKS. Use api-key.',
    );
  }
  throw new InvalidStackConfigurationError('authMode', `authMode must be "api-key" or "none", not "${written(value)}"`);
}

const reservation = (setting: number | 'none') => (setting === 'none' ? {} : { reservedConcurrency: setting });

export class VisitplannrStack extends Stack {
  readonly tables: Tables;
  readonly network: Network;
  readonly cache: NotificationCache;
  readonly site: Site;
  readonly siteAssets: SiteAssets;
  readonly api: GraphQLApi;
  readonly fanout: Fanout;
  readonly handlers: Handlers;
  readonly commandFailures?: CommandFailures;
  readonly tracing?: OtlpTracing;

  constructor(scope: Construct, id: string, props: VisitplannrStackProps) {
    super(scope, id, props);
    this.tables = new Tables(this, 'Tables');
    this.network = new Network(this, 'Network');
    // Before any function: each ServiceFunction instruments itself with the stack's tracing.
    if ((props.tracing ?? 'otlp') === 'otlp')
      this.tracing = new OtlpTracing(this, {
        vpc: this.network.vpc,
        functionSecurityGroup: this.network.functionSecurityGroup,
      });
    this.cache = new NotificationCache(this, 'Notifications', this.network);
    this.site = new Site(this, 'Site');
    this.siteAssets = new SiteAssets(this, 'SiteAssets', { bucket: this.site.bucket, objects: props.siteAssets });
    const resources: CapabilityResources = {
      tables: this.tables,
      notifications: {
        placement: { vpc: this.network.vpc, securityGroup: this.network.functionSecurityGroup },
        environment: this.cache.clientEnvironment,
      },
      site: { bucket: this.site.bucket, distribution: this.site.distribution },
    };
    const secrets = this.originSecrets();
    this.api = new GraphQLApi(this, 'GraphQL', {
      resources,
      auth: this.authFor(props.authMode ?? 'api-key'),
      originSecrets: Fn.join(',', [secrets.current, secrets.previous]),
      proposalLimits: props.proposalLimits ?? DEFAULT_PROPOSAL_LIMITS,
      throttle: { rateLimit: 100, burstLimit: 200 },
      mutationDeadline: Duration.millis(GRAPHQL_TIME_BUDGET.mutationDeadlineMs),
      ...reservation(props.graphqlReservedConcurrency ?? DEFAULT_GRAPHQL_RESERVED_CONCURRENCY),
    });
    this.site.serveApi(this.api, secrets.current, this.api.function.fn);
    this.fanout = new Fanout(this, 'Fanout', { eventTable: this.tables.events });
    this.handlers = new Handlers(this, 'Handlers', {
      routes: props.routes ?? topology,
      resources,
      bus: this.fanout.bus,
    });
    // The decider's given-up batches are recorded as FAILED commands (see CommandFailures).
    const decider = this.handlers.wired.get('decide' satisfies HandlerName);
    if (decider)
      this.commandFailures = new CommandFailures(this, 'CommandFailures', {
        resources,
        deciderFailures: decider.deadLetters,
      });

    new CfnOutput(this, 'GraphQLUrl', { value: this.api.url, description: 'POST GraphQL here' });
    new CfnOutput(this, 'HomepageUrl', { value: this.site.url, description: 'The homepage (CloudFront)' });
  }

  /**
   * The secret CloudFront adds to the site's requests to the API, as deployment parameters
   * (free, and the function in its isolated subnets reads them from its environment; no
   * secret store, no endpoint). Rotating: deploy with a new `OriginSecret` and the old one
   * as `OriginSecretPrevious`; once that deploy is done, deploy again without the previous one.
   */
  private originSecrets(): { current: string; previous: string } {
    const current = new CfnParameter(this, 'OriginSecret', {
      type: 'String',
      noEcho: true,
      description:
        'The header CloudFront adds to /graphql requests, proving they came through the site: openssl rand -hex 32',
      minLength: MIN_SECRET_LENGTH,
      allowedPattern: '^[A-Za-z0-9_-]+$',
    });
    const previous = new CfnParameter(this, 'OriginSecretPrevious', {
      type: 'String',
      noEcho: true,
      default: '',
      description:
        'During a rotation: the secret being replaced, still accepted until the next deploy leaves this empty',
      allowedPattern: `^([A-Za-z0-9_-]{${MIN_SECRET_LENGTH},})?$`,
    });
    return { current: current.valueAsString, previous: previous.valueAsString };
  }

  private authFor(mode: AuthMode): GraphQLAuth {
    if (mode === 'none') return { mode };
    // A parameter, not a context value: synth stays offline and value-free, and a deploy without it
    // is refused by CloudFormation.
    const digests = new CfnParameter(this, 'ApiKeySha256', {
      type: 'String',
      description:
        'SHA-256 digests (hex, comma-separated) of the API keys that may call mutations: printf %s "$KEY" | sha256sum',
      allowedPattern: '^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$',
      constraintDescription: 'one or more 64-hex-character SHA-256 digests, comma-separated',
    });
    return { mode, apiKeySha256: digests.valueAsString };
  }
}
