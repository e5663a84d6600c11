/**
 * The bundles themselves: synthesized with esbuild (never Docker) and loaded by a fresh
 * node process, the way Lambda loads them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisitplannrStack } from '../../infra/stack.js';
import { startRedisCluster } from '../../src/shell/local/redis-cluster.js';
import { buildHomepageAssets } from '../../src/shell/site/assets.js';

let outdir: string;
let bundleOf: (description: string) => string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'visitplannr-cdk-'));
  // Asset metadata names each function's bundle folder (the CDK CLI turns it on too).
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new VisitplannrStack(app, 'Visitplannr', { siteAssets: await buildHomepageAssets() });
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, `${stack.stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Description?: string }; Metadata?: Record<string, string> }>;
  };
  bundleOf = (description) => {
    const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.Description === description);
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

  /** Posts GraphQL bodies to the bundled handler in a fresh node process, configured as the stack configures it. */
  function invokeGraphQLBundle(bodies: object[], { env = {}, headers = {} }: { env?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleOf('visitplannr GraphQL API'), 'index.mjs')).href)});
      for (const body of ${JSON.stringify(bodies)}) {
        const response = await handler({
          version: '2.0', rawPath: '/graphql', rawQueryString: '', isBase64Encoded: false,
          headers: { 'content-type': 'application/json', ...${JSON.stringify(headers)} }, requestContext: { http: { method: 'POST' } },
          body: JSON.stringify(body),
        }, { getRemainingTimeInMillis: () => 30000 });
        console.log(JSON.stringify(response));
      }
      process.exit(0);`;
    const output = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      // Neither request reaches a table; the Redis connection retries in the background.
      env: {
        PATH: process.env['PATH'],
        EVENT_TABLE_NAME: 'events',
        READ_MODEL_TABLE_NAME: 'read-models',
        REDIS_URL: 'redis://127.0.0.1:1',
        AUTH_MODE: 'api-key',
        API_KEY_SHA256: createHash('sha256').update('a key nobody sends here').digest('hex'),
        AWS_REGION: 'eu-west-1',
        LOG_LEVEL: 'ERROR',
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const lines = output.trim().split('\n');
    return Object.assign(lines.slice(-bodies.length).map((line) => JSON.parse(line) as { statusCode: number; body: string }), {
      logs: lines.slice(0, -bodies.length).flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [])),
    });
  }

  it('the GraphQL bundle loads in a fresh node process: queries are answered, a mutation without an API key is refused', () => {
    const [query, mutation] = invokeGraphQLBundle([
      { query: '{ __typename }' },
      { query: 'mutation { proposeDestination(input: { name: "Ghent", latitude: 51.05, longitude: 3.72 }) { __typename } }' },
    ]);
    expect(query!.statusCode).toBe(200);
    expect(JSON.parse(query!.body)).toEqual({ data: { __typename: 'Query' } });
    expect(mutation!.statusCode).toBe(401);
    expect(JSON.parse(mutation!.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('opens the cache connection during init, so a cold start\'s first SUBSCRIBE is acknowledged at once (local 3-node cluster, no TLS): reports the figure', async () => {
    const cluster = await startRedisCluster(3);
    try {
      const key = 'a key for the cold start';
      const result = invokeGraphQLBundle([{ query: 'mutation { proposeDestination(input: { name: "Ghent", latitude: 51.05, longitude: 3.72 }) { __typename } }' }], {
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
      });
      // A GraphQL answer with a code, not a crash.
      expect(result[0]!.statusCode).toBe(200);
      expect(JSON.parse(result[0]!.body).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
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

  it('carries one copy of Apollo Server (its ESM build), not the CommonJS one beside it', () => {
    const map = JSON.parse(readFileSync(join(bundleOf('visitplannr GraphQL API'), 'index.mjs.map'), 'utf8')) as { sources: string[] };
    const apollo = map.sources.filter((source) => source.includes('@apollo/server/dist/'));
    expect(apollo.length).toBeGreaterThan(0);
    expect(apollo.filter((source) => source.includes('/dist/cjs/'))).toEqual([]);
  });
});
