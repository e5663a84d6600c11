/**
 * What the first deploy, later updates and `cdk destroy` run into: the GraphQL function's
 * time budget and reserved concurrency, a cache name that survives replacement, and buckets
 * that a stack deletion can remove (or keeps on purpose).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverlessCacheName } from '../../infra/constructs/notification-cache.js';
import {
  DEFAULT_GRAPHQL_RESERVED_CONCURRENCY,
  InvalidStackConfigurationError,
  parseReservedConcurrency,
  type VisitplannrStack,
} from '../../infra/stack.js';
import {
  afterDeadlineWorstCaseMs,
  dynamodbCallWorstCaseMs,
  GRAPHQL_TIME_BUDGET,
  graphqlFunctionTimeoutMs,
  MAX_GRAPHQL_FUNCTION_TIMEOUT_MS,
  TimeBudgetTooLongError,
  withMutationDeadline,
} from '../../src/shell/graphql/time-budget.js';
import type { TemplateJson } from './graph.js';
import { logicalIdOf, resourcesOf, synthesize } from './synth.js';

let stack: VisitplannrStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthesize());
});

const graphqlFunction = (of: Template) =>
  Object.values(resourcesOf(of, 'AWS::Lambda::Function')).find(
    ({ Properties }) => Properties?.['Description'] === 'visitplannr GraphQL API',
  )!;

describe("the GraphQL function's time budget", () => {
  it('its timeout holds the deadline, every wait after it (DynamoDB attempts, timeouts and backoff included) and a margin', () => {
    const { dynamodb } = GRAPHQL_TIME_BUDGET;
    // One call: every attempt silent until its timeouts, every pause at its cap.
    expect(dynamodbCallWorstCaseMs(dynamodb)).toBe(3 * (500 + 1000) + 100 + 200);
    const timeoutMs = graphqlFunctionTimeoutMs();
    expect(timeoutMs).toBeGreaterThanOrEqual(
      GRAPHQL_TIME_BUDGET.mutationDeadlineMs +
        afterDeadlineWorstCaseMs(GRAPHQL_TIME_BUDGET) +
        GRAPHQL_TIME_BUDGET.marginMs,
    );
    expect(timeoutMs).toBeLessThanOrEqual(MAX_GRAPHQL_FUNCTION_TIMEOUT_MS);
    expect(graphqlFunction(template).Properties?.['Timeout']).toBe(timeoutMs / 1000);
    expect(
      (graphqlFunction(template).Properties?.['Environment'] as { Variables: Record<string, string> }).Variables[
        'MUTATION_DEADLINE_MS'
      ],
    ).toBe(String(GRAPHQL_TIME_BUDGET.mutationDeadlineMs));
  });

  it('refuses a budget API Gateway would cut short (its HTTP API waits 30 s at most)', () => {
    expect(() => graphqlFunctionTimeoutMs(withMutationDeadline(20_000))).toThrow(TimeBudgetTooLongError);
  });
});

describe("the GraphQL function's reserved concurrency", () => {
  it(`reserves ${DEFAULT_GRAPHQL_RESERVED_CONCURRENCY} instances by default`, () => {
    expect(graphqlFunction(template).Properties?.['ReservedConcurrentExecutions']).toBe(
      DEFAULT_GRAPHQL_RESERVED_CONCURRENCY,
    );
  });

  it('takes the context value, or no reservation at all with "none"; the handlers are never capped', () => {
    expect(
      graphqlFunction(synthesize({ graphqlReservedConcurrency: 20 }).template).Properties?.[
        'ReservedConcurrentExecutions'
      ],
    ).toBe(20);
    const unreserved = synthesize({ graphqlReservedConcurrency: 'none' }).template;
    expect(graphqlFunction(unreserved).Properties?.['ReservedConcurrentExecutions']).toBeUndefined();
    const others = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter(
      ({ Properties }) => Properties?.['Description'] !== 'visitplannr GraphQL API',
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter(({ Properties }) => Properties?.['ReservedConcurrentExecutions'] !== undefined)).toEqual([]);
  });

  it('reads -c graphqlReservedConcurrency=… as a positive whole number or "none"', () => {
    expect(parseReservedConcurrency(undefined)).toBe(DEFAULT_GRAPHQL_RESERVED_CONCURRENCY);
    expect(parseReservedConcurrency('30')).toBe(30);
    expect(parseReservedConcurrency(30)).toBe(30);
    expect(parseReservedConcurrency('none')).toBe('none');
    for (const bad of ['0', '-5', '2.5', 'lots', 0])
      expect(() => parseReservedConcurrency(bad)).toThrow(InvalidStackConfigurationError);
  });
});

describe("the notification cache's name", () => {
  const cacheName = (of: Template) =>
    Object.values(resourcesOf(of, 'AWS::ElastiCache::ServerlessCache'))[0]!.Properties?.['ServerlessCacheName'];

  it("is generated from the construct and the properties that replace the cache, within ElastiCache's 40 characters", () => {
    const name = String(cacheName(template));
    expect(name).toMatch(/^visitplannr-notify-[0-9a-f]{12}$/);
    expect(name.length).toBeLessThanOrEqual(40);
    // The same app synthesizes the same name: an update that replaces nothing keeps the cache.
    expect(cacheName(synthesize().template)).toBe(name);
  });

  it('changes with every property whose change replaces the cache, and only with those', () => {
    const scope = new Stack(new App(), 'Names');
    const base = { engine: 'valkey', subnetIds: ['subnet-a', 'subnet-b'], majorEngineVersion: '8', description: 'one' };
    const name = serverlessCacheName(scope, base);
    // Replacing: a new cache is created before the old one is deleted, so it needs a new name.
    expect(serverlessCacheName(scope, { ...base, engine: 'redis' })).not.toBe(name);
    expect(serverlessCacheName(scope, { ...base, subnetIds: ['subnet-c', 'subnet-b'] })).not.toBe(name);
    expect(serverlessCacheName(scope, { ...base, kmsKeyId: 'key' })).not.toBe(name);
    // Updated in place: the name stays.
    expect(serverlessCacheName(scope, { ...base, majorEngineVersion: '9', description: 'two' })).toBe(name);
    // Another cache in the same account gets another name.
    expect(serverlessCacheName(new Stack(new App(), 'Other'), base)).not.toBe(name);
  });
});

describe('buckets on cdk destroy', () => {
  it('the site bucket (rendered pages and deployed assets: derived) is emptied and deleted', () => {
    const site = logicalIdOf(stack, stack.site.bucket);
    expect((template.toJSON() as TemplateJson).Resources[site]).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: site } });
  });

  it('the access-log bucket is kept (the only record of requests; it expires its own objects) and not emptied', () => {
    const [logs] = Object.entries(
      template.findResources('AWS::S3::Bucket', {
        Properties: { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] } },
      }),
    );
    expect(logs).toBeDefined();
    expect(logs![1]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const emptied = Object.values(resourcesOf(template, 'Custom::S3AutoDeleteObjects')).map(({ Properties }) =>
      JSON.stringify(Properties?.['BucketName']),
    );
    expect(emptied).toEqual([JSON.stringify({ Ref: logicalIdOf(stack, stack.site.bucket) })]);
  });
});
