/**
 * The bundles themselves: synthesized with esbuild (never Docker) and loaded by a fresh
 * node process, the way Lambda loads them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisitplannrStack } from '../../infra/stack.js';
import { startRedisCluster } from '../../local/redis-cluster.js';
import { buildHomepageAssets } from '../../src/shell/site/build-assets.js';
import { outcomeOf, proposeCommand } from '../support/commands.js';

/** A GraphQL answer carrying an error, as far as these tests read it. */
interface ErrorAnswer {
  readonly errors: readonly { readonly extensions: { readonly code: string } }[];
}

let outdir: string;
let bundleOf: (description: string) => string;
/** Every function of ours in the template, by description (CDK adds deploy-time functions of its own). */
let ourFunctions: string[];

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'visitplannr-cdk-'));
  // Asset metadata names each function's bundle folder (the CDK CLI turns it on too).
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new VisitplannrStack(app, 'Visitplannr', { siteAssets: await buildHomepageAssets() });
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, `${stack.stackName}.template.json`), 'utf8')) as {
    Resources: Record<
      string,
      { Type: string; Properties: { Description?: unknown }; Metadata?: Record<string, string> }
    >;
  };
  ourFunctions = Object.values(template.Resources).flatMap(({ Type, Properties: { Description } }) =>
    Type === 'AWS::Lambda::Function' && typeof Description === 'string' && Description.startsWith('visitplannr ')
      ? [Description]
      : [],
  );
  bundleOf = (description) => {
    const fn = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Description === description,
    );
    if (!fn?.Metadata?.['aws:asset:path']) throw new Error(`no bundled function "${description}"`);
    return join(outdir, fn.Metadata['aws:asset:path']);
  };
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('bundles', () => {
  it('each function is one ESM file with its source map', () => {
    const asset = bundleOf('visitplannr GraphQL API');
    expect(existsSync(join(asset, 'index.mjs'))).toBe(true);
    const map = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('src/shell/lambda/graphql.ts'))).toBe(true);
    expect(readFileSync(join(asset, 'index.mjs'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
  });

  /** What one invocation came to: the handler's result, or what it threw. */
  type Outcome = { readonly result: unknown } | { readonly error: { readonly name: string; readonly message: string } };
  const RESULT = 'invocation outcome: ';

  /**
   * Imports a function's bundle in a fresh node process, as Lambda does, and invokes its
   * handler with each event in turn. Returns each outcome and the JSON lines it logged.
   */
  function invokeBundle(description: string, events: readonly object[], env: Record<string, string>) {
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleOf(description), 'index.mjs')).href)});
      for (const event of ${JSON.stringify(events)}) {
        const outcome = await handler(event, { getRemainingTimeInMillis: () => 30000 }).then(
          (result) => ({ result: result ?? null }),
          (error) => ({ error: { name: error.name, message: error.message } }),
        );
        console.log(${JSON.stringify(RESULT)} + JSON.stringify(outcome));
      }
      // Redis connections retry in the background; they would keep the process alive.
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: { PATH: process.env['PATH'], AWS_REGION: 'eu-west-1', LOG_LEVEL: 'ERROR', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (run.status !== 0)
      throw new Error(
        `invoking the bundle of "${description}" exited with ${String(run.status ?? run.signal)}: ${run.stderr}`,
      );
    // The logger writes warnings and errors to stderr, the rest to stdout.
    const lines = `${run.stdout}\n${run.stderr}`.trim().split('\n');
    return {
      outcomes: lines.flatMap((line) =>
        line.startsWith(RESULT) ? [JSON.parse(line.slice(RESULT.length)) as Outcome] : [],
      ),
      logs: lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [])),
    };
  }

  /** Posts GraphQL bodies to the bundled handler, configured as the stack configures it. */
  function invokeGraphQLBundle(
    bodies: object[],
    { env = {}, headers = {} }: { env?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const events = bodies.map((body) => ({
      version: '2.0',
      rawPath: '/graphql',
      rawQueryString: '',
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json', ...headers },
      requestContext: { http: { method: 'POST' } },
      body: JSON.stringify(body),
    }));
    // Neither request reaches a table; the Redis connection retries in the background.
    const { outcomes, logs } = invokeBundle('visitplannr GraphQL API', events, {
      EVENT_TABLE_NAME: 'events',
      READ_MODEL_TABLE_NAME: 'read-models',
      REDIS_URL: 'redis://127.0.0.1:1',
      AUTH_MODE: 'api-key',
      API_KEY_SHA256: createHash('sha256').update('a key nobody sends here').digest('hex'),
      ...env,
    });
    return Object.assign(
      outcomes.map((outcome) => {
        if (!('result' in outcome)) throw new Error(`the GraphQL handler threw: ${outcome.error.message}`);
        return outcome.result as { statusCode: number; body: string };
      }),
      { logs },
    );
  }

  it('the GraphQL bundle loads in a fresh node process: queries are answered, a mutation without an API key is refused', () => {
    const [query, mutation] = invokeGraphQLBundle([
      { query: '{ __typename }' },
      {
        query:
          'mutation { proposeDestination(input: { name: "Ghent", latitude: 51.05, longitude: 3.72 }) { __typename } }',
      },
    ]);
    expect(query!.statusCode).toBe(200);
    expect(JSON.parse(query!.body)).toEqual({ data: { __typename: 'Query' } });
    expect(mutation!.statusCode).toBe(401);
    expect((JSON.parse(mutation!.body) as ErrorAnswer).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it("opens the cache connection during init, so a cold start's first SUBSCRIBE is acknowledged at once (local 3-node cluster, no TLS): reports the figure", async () => {
    const cluster = await startRedisCluster(3);
    try {
      const key = 'a key for the cold start';
      const result = invokeGraphQLBundle(
        [
          {
            query:
              'mutation { proposeDestination(input: { name: "Ghent", latitude: 51.05, longitude: 3.72 }) { __typename } }',
          },
        ],
        {
          env: {
            REDIS_URL: cluster.url,
            REDIS_MODE: 'cluster',
            API_KEY_SHA256: createHash('sha256').update(key).digest('hex'),
            LOG_LEVEL: 'INFO',
            // No table answers here: the write fails through the budget's attempts, after the subscribe.
            AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
            AWS_ACCESS_KEY_ID: 'cold',
            AWS_SECRET_ACCESS_KEY: 'start',
          },
          headers: { 'x-api-key': key },
        },
      );
      // A GraphQL answer with a code, not a crash.
      expect(result[0]!.statusCode).toBe(200);
      expect((JSON.parse(result[0]!.body) as ErrorAnswer).errors[0]!.extensions.code).toBe('SERVICE_UNAVAILABLE');
      const logged = (message: string) => result.logs.find((entry) => entry['message'] === message);
      expect(logged('cache connection at init')).toMatchObject({ outcome: 'ready' });
      const first = logged('first subscribe acknowledged');
      expect(first).toMatchObject({ ackMs: expect.any(Number) });
      // Reported, not asserted: README "Time budget" chooses the first subscribe's deadline from it.
      console.info(
        `cold start, local 3-node cluster without TLS: cache connection ready ${String(logged('cache connection at init')?.['elapsedMs'])} ms into init; ` +
          `first SSUBSCRIBE acknowledged in ${String(first?.['ackMs'])} ms (${String(first?.['sinceInitMs'])} ms after init began)`,
      );
    } finally {
      await cluster.stop();
    }
  });

  /** Enough configuration for every entry point to load; nothing here is contacted unless a test says so. */
  const ENTRY_POINT_ENV = {
    EVENT_TABLE_NAME: 'events',
    READ_MODEL_TABLE_NAME: 'read-models',
    EVENT_BUS_NAME: 'bus',
    REDIS_URL: 'redis://127.0.0.1:1',
    SITE_BUCKET_NAME: 'site',
    DISTRIBUTION_ID: 'E000000000000',
    AWS_ACCESS_KEY_ID: 'bundle-test',
    AWS_SECRET_ACCESS_KEY: 'bundle-test',
    // Nothing listens here: a call to any AWS service fails at once instead of leaving the machine.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
  };
  const emptyBatch = { Records: [] };

  // Each event is one of the function's kind chosen so the handler needs no network: an empty
  // batch sends nothing to a table, the bus or the queue. The result is the shape the platform reads.
  // HANDLER_NAME: the route a handler bundle (one per delivery kind) serves, as the CDK app sets it.
  it.each([
    ['visitplannr decide (stream)', 'decide', emptyBatch, { batchItemFailures: [] }],
    ['visitplannr fan-out: event table stream -> EventBridge', undefined, emptyBatch, { batchItemFailures: [] }],
    ['visitplannr project-recent (read-model-stream)', 'project-recent', emptyBatch, { batchItemFailures: [] }],
    [
      'visitplannr decide-failures (commands the decider gave up on -> FAILED)',
      undefined,
      emptyBatch,
      { batchItemFailures: [] },
    ],
    // An S3 notification with no records: no object created, so no invalidation is requested.
    ['visitplannr invalidate-cdn (object-created)', 'invalidate-cdn', emptyBatch, null],
  ])(
    'the bundle of "%s" loads in a fresh node process and answers its kind of event',
    (description, handlerName, event, result) => {
      const env = handlerName ? { ...ENTRY_POINT_ENV, HANDLER_NAME: handlerName } : ENTRY_POINT_ENV;
      const { outcomes, logs } = invokeBundle(description, [event], env);
      expect(outcomes).toEqual([{ result }]);
      expect(logs).toEqual([]);
    },
  );

  it('the bus handler bundle loads with HANDLER_NAME and passes over a record type its rule should not have matched', () => {
    // An outcome record: validate-geolocation takes DestinationProposed only, so it returns before
    // any table or Redis call.
    const command = proposeCommand('c-1');
    const record = outcomeOf(command, 'CommandAccepted', { destinationId: command.data.destinationId });
    const event = {
      version: '0',
      id: 'bus-1',
      'detail-type': record.type,
      source: 'visitplannr',
      account: '0',
      time: record.time,
      region: 'eu-west-1',
      resources: [],
      detail: record,
    };
    const { outcomes, logs } = invokeBundle('visitplannr validate-geolocation (bus)', [event], {
      ...ENTRY_POINT_ENV,
      HANDLER_NAME: 'validate-geolocation',
      LOG_LEVEL: 'WARN',
    });
    expect(outcomes).toEqual([{ result: null }]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'record type not handled here; the rule should not have matched',
        handler: 'validate-geolocation',
        recordType: 'CommandAccepted',
      }),
    );
  });

  it('the render-homepage bundle loads and, with no bucket reachable, fails its one render so the platform retries it', () => {
    // Every invocation renders from the projection, whatever its records: no event avoids the bucket and
    // the table, so this one meets the closed endpoint and must take the retry path (throw, logged).
    const { outcomes, logs } = invokeBundle('visitplannr render-homepage (read-model-stream)', [emptyBatch], {
      ...ENTRY_POINT_ENV,
      HANDLER_NAME: 'render-homepage',
    });
    expect(outcomes).toEqual([{ error: expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) }) }]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'handler failed; its delivery goes to the retry path',
        handler: 'render-homepage',
      }),
    );
  });

  it('every function of ours is invoked above (a new entry point needs its case here)', () => {
    expect([...ourFunctions].sort()).toEqual(
      [
        'visitplannr GraphQL API',
        'visitplannr decide (stream)',
        'visitplannr decide-failures (commands the decider gave up on -> FAILED)',
        'visitplannr fan-out: event table stream -> EventBridge',
        'visitplannr invalidate-cdn (object-created)',
        'visitplannr project-recent (read-model-stream)',
        'visitplannr render-homepage (read-model-stream)',
        'visitplannr validate-geolocation (bus)',
      ].sort(),
    );
  });

  it('carries one copy of Apollo Server (its ESM build), not the CommonJS one beside it', () => {
    const map = JSON.parse(readFileSync(join(bundleOf('visitplannr GraphQL API'), 'index.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    const apollo = map.sources.filter((source) => source.includes('@apollo/server/dist/'));
    expect(apollo.length).toBeGreaterThan(0);
    expect(apollo.filter((source) => source.includes('/dist/cjs/'))).toEqual([]);
  });
});
