/**
 * Every setting of the functions and of the local stack, read from one environment-shaped
 * record (the Lambda's environment; the local stack builds one from its options) and checked
 * at start: a wrong value stops the cold start with an error naming its variable, instead of
 * failing the first request. Each default is stated once, here or in the module it belongs to.
 */
import { type AuthMode, type AuthOptions, authOptionsFrom, parseAuthMode } from './auth/authenticator.js';
import { parseOriginSecrets } from './edge/site-origin.js';
import { parseAllowedOrigins } from './graphql/cors.js';
import { GRAPHQL_TIME_BUDGET } from './graphql/time-budget.js';
import { parseRedisMode, type RedisMode } from './redis/connection.js';
import { type ProposalLimits, proposalLimitsFrom } from './redis/proposal-budget.js';
import { VisitplannrError } from '../errors/index.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Settings {
  /** EVENT_TABLE_NAME: commands, events and outcomes. */
  readonly eventTableName: string | undefined;
  /** READ_MODEL_TABLE_NAME: destination views and the recent list. */
  readonly readModelTableName: string | undefined;
  /** SITE_BUCKET_NAME: where the homepage is published. */
  readonly siteBucketName: string | undefined;
  /** DISTRIBUTION_ID: the CDN in front of the site. */
  readonly distributionId: string | undefined;
  /** EVENT_BUS_NAME: where the fan-out puts the records bus routes consume. */
  readonly eventBusName: string | undefined;
  /** HANDLER_NAME: which route of the topology a handler function serves. */
  readonly handlerName: string | undefined;
  /** REDIS_URL: the notification cache. */
  readonly redisUrl: string | undefined;
  /** REDIS_MODE: `single` (default) or `cluster` (sharded pub/sub). */
  readonly redisMode: RedisMode;
  /** NOTIFY_NAMESPACE: prefixes notification channels and budget keys, so stacks can share a cache. */
  readonly notifyNamespace: string;
  /** MUTATION_DEADLINE_MS: how long a mutation waits for its answer before CommandPending. */
  readonly mutationDeadlineMs: number;
  /** OUTCOME_POLL_MS: how often a mutation reads the durable outcome while notifications are away. */
  readonly outcomePollIntervalMs: number;
  /** PUBLISH_TIMEOUT_MS: how long a handler waits for the cache to take a notification. */
  readonly publishTimeoutMs: number;
  /** AUTH_MODE: who may call mutations. */
  readonly authMode: AuthMode;
  /**
   * The mode's own settings (API_KEY_SHA256, or JWT_*), read when the GraphQL function is built: only it needs
   * them.
   */
  readonly auth: () => AuthOptions;
  /** ORIGIN_SECRETS: the site's edge vouches for its visitors with one of these; none: no anonymous path. */
  readonly originSecrets: readonly string[];
  /** ANON_PROPOSALS_PER_VISITOR, ANON_PROPOSALS_GLOBAL, ANON_PROPOSAL_WINDOW_SECONDS. */
  readonly proposalLimits: ProposalLimits;
  /** ALLOWED_ORIGINS: browser origins, other than the site's own, that may call the API. */
  readonly allowedOrigins: readonly string[];
  /** ENABLE_DEVELOPER_TOOLS: introspection, field suggestions and the landing page. */
  readonly developerTools: boolean;
  /** LOG_LEVEL. */
  readonly logLevel: string;
}

export class InvalidSettingError extends VisitplannrError {
  override readonly name = 'InvalidSettingError';
  readonly code = 'INVALID_SETTING';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/** Where a place's defaults differ: AWS requires an API key and shares one cache namespace per stack. */
export interface PlaceDefaults {
  readonly authMode: AuthMode;
  readonly notifyNamespace: string;
}

export const AWS_DEFAULTS: PlaceDefaults = { authMode: 'api-key', notifyNamespace: 'visitplannr' };

export function readSettings(env: Environment, defaults: PlaceDefaults = AWS_DEFAULTS): Settings {
  const text = (variable: string): string | undefined => (env[variable] === '' ? undefined : env[variable]);
  const milliseconds = (variable: string, fallback: number): number => {
    const raw = text(variable);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidSettingError(variable, `${variable} must be a whole number of milliseconds, not "${raw}"`);
    }
    return value;
  };
  const logLevel = (text('LOG_LEVEL') ?? 'INFO').toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new InvalidSettingError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const developerTools = text('ENABLE_DEVELOPER_TOOLS') ?? 'false';
  if (developerTools !== 'true' && developerTools !== 'false') {
    throw new InvalidSettingError('ENABLE_DEVELOPER_TOOLS', 'ENABLE_DEVELOPER_TOOLS must be "true" or "false"');
  }
  const authMode = parseAuthMode(text('AUTH_MODE'), defaults.authMode);
  return {
    eventTableName: text('EVENT_TABLE_NAME'),
    readModelTableName: text('READ_MODEL_TABLE_NAME'),
    siteBucketName: text('SITE_BUCKET_NAME'),
    distributionId: text('DISTRIBUTION_ID'),
    eventBusName: text('EVENT_BUS_NAME'),
    handlerName: text('HANDLER_NAME'),
    redisUrl: text('REDIS_URL'),
    redisMode: parseRedisMode(text('REDIS_MODE')),
    notifyNamespace: text('NOTIFY_NAMESPACE') ?? defaults.notifyNamespace,
    mutationDeadlineMs: milliseconds('MUTATION_DEADLINE_MS', GRAPHQL_TIME_BUDGET.mutationDeadlineMs),
    outcomePollIntervalMs: milliseconds('OUTCOME_POLL_MS', 200),
    publishTimeoutMs: milliseconds('PUBLISH_TIMEOUT_MS', 1000),
    authMode,
    auth: () => authOptionsFrom(env, authMode),
    originSecrets: parseOriginSecrets(text('ORIGIN_SECRETS')),
    proposalLimits: proposalLimitsFrom(env),
    allowedOrigins: parseAllowedOrigins(text('ALLOWED_ORIGINS')),
    developerTools: developerTools === 'true',
    logLevel,
  };
}

const VARIABLES = {
  eventTableName: 'EVENT_TABLE_NAME',
  readModelTableName: 'READ_MODEL_TABLE_NAME',
  siteBucketName: 'SITE_BUCKET_NAME',
  distributionId: 'DISTRIBUTION_ID',
  eventBusName: 'EVENT_BUS_NAME',
  handlerName: 'HANDLER_NAME',
  redisUrl: 'REDIS_URL',
} as const;

export class MissingSettingError extends VisitplannrError {
  override readonly name = 'MissingSettingError';
  readonly code = 'MISSING_SETTING';
  constructor(readonly variable: string) {
    super(`${variable} is not set`);
  }
}

/** A setting this part cannot run without; checked when the part is built (at start). */
export function required(settings: Settings, key: keyof typeof VARIABLES): string {
  const value = settings[key];
  if (value === undefined) throw new MissingSettingError(VARIABLES[key]);
  return value;
}
