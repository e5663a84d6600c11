/**
 * `npm start`: the whole system locally. Environment: PORT (4000), HOST (127.0.0.1),
 * REDIS_URL (redis://127.0.0.1:6379), REDIS_MODE (single; `cluster` starts a private
 * 3-node cluster unless REDIS_URL names one), DATA_DIR (persist instead of in-memory),
 * DYNAMODB_ENDPOINT (use a running DynamoDB instead of starting one),
 * SITE_PORT (the homepage's origin; free port), MUTATION_DEADLINE_MS (5000), LOG_LEVEL (INFO),
 * LOG_FORMAT (readable at a terminal, else json), AUTH_MODE (none; api-key with API_KEY_SHA256,
 * jwt with JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE). Its npm pre-script (scripts/preflight.mjs)
 * has checked the machine first.
 */
import { parseRedisMode } from '../src/shell/redis/connection.js';
import { shutdownTelemetry, startTelemetry } from '../src/shell/telemetry/index.js';
import { startLocalStack } from './stack.js';

const env = process.env;
const numberFrom = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);

// OTLP export of every hop's spans when OTEL_EXPORTER_OTLP_ENDPOINT is set (as on AWS); nothing otherwise.
await startTelemetry().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

const stack = await startLocalStack({
  port: numberFrom('PORT') ?? 4000,
  host: env['HOST'] ?? '127.0.0.1',
  ...(numberFrom('SITE_PORT') ? { sitePort: numberFrom('SITE_PORT') } : {}),
  ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'] } : {}),
  redisMode: parseRedisMode(env['REDIS_MODE']),
  ...(env['DATA_DIR'] ? { dataDir: env['DATA_DIR'] } : {}),
  ...(env['DYNAMODB_ENDPOINT'] ? { dynamodbEndpoint: env['DYNAMODB_ENDPOINT'] } : {}),
  // AUTH_MODE (none here), ANON_PROPOSALS_*, MUTATION_DEADLINE_MS, LOG_LEVEL, ALLOWED_ORIGINS: read and
  // checked as the AWS entry points read them (src/shell/settings.ts).
  environment: env,
}).catch((error: unknown) => {
  const busy = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
  process.stderr.write(
    busy
      ? `Port ${env['PORT'] ?? 4000} is in use: stop what holds it, or set PORT.\n`
      : `The local stack could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

process.stderr.write(
  [
    '',
    'visitplannr local stack is up',
    `  Homepage (site + /graphql)  ${stack.homepageUrl}`,
    `  GraphQL API                 ${stack.graphqlUrl}`,
    `  Playground (offline IDE)    ${stack.playgroundUrl}`,
    `  DynamoDB Local              ${stack.dynamodbEndpoint} (tables ${stack.tables.events}, ${stack.tables.readModels}; ${env['DATA_DIR'] ? `persisted in ${env['DATA_DIR']}` : 'in memory'})`,
    `  ${`Redis (${stack.redisMode})`.padEnd(28)}${stack.redisUrl}`,
    `  EventBridge (PutEvents)     ${stack.eventBusEndpoint}`,
    `  S3 (s3rver, site bucket)    ${stack.site.bucket.endpoint} (bucket ${stack.site.bucket.bucket}); CDN invalidations go to a CloudFront stand-in at ${stack.site.cdn.endpoint}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\n${signal}: stopping the local stack…\n`);
  stack
    .stop()
    .then(() => shutdownTelemetry())
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      process.stderr.write(`stop failed: ${String(error)}\n`);
      process.exit(1);
    });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
