/**
 * One origin for the site and the API: CloudFront serves /graphql from the HTTP API, never
 * cached, with the origin secret the GraphQL function checks, and the viewer address the
 * proposal budget counts by. The secret is a pair of deployment parameters (rotation),
 * reaching the function (isolated subnets) through its environment.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VisitplannrStack } from '../../infra/stack.js';
import { ORIGIN_SECRET_HEADER } from '../../src/shell/edge/site-origin.js';
import { DEFAULT_PROPOSAL_LIMITS } from '../../src/shell/redis/proposal-budget.js';
import { logicalIdOf, resourcesOf, synthesize } from './synth.js';

// CloudFront's managed CachingDisabled cache policy.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

let stack: VisitplannrStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthesize());
});

interface DistributionConfig {
  Origins: {
    Id: string;
    DomainName: unknown;
    CustomOriginConfig?: Record<string, unknown>;
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  }[];
  CacheBehaviors: Record<string, unknown>[];
}
const distribution = () => {
  const [resource] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'));
  return {
    config: resource?.Properties?.['DistributionConfig'] as DistributionConfig,
    dependsOn: resource?.DependsOn as string[],
  };
};
const apiOrigin = () => distribution().config.Origins.find((origin) => origin.CustomOriginConfig !== undefined);

describe('the site and the API on one origin', () => {
  it('the distribution has a second origin: the HTTP API, over HTTPS only, with the origin secret header', () => {
    const origin = apiOrigin();
    expect(distribution().config.Origins).toHaveLength(2);
    expect(origin?.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalIdOf(stack, stack.api.api), 'ApiEndpoint'] }] }],
    });
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(origin?.OriginCustomHeaders).toEqual([
      { HeaderName: ORIGIN_SECRET_HEADER, HeaderValue: { Ref: 'OriginSecret' } },
    ]);
  });

  it('/graphql goes to that origin, uncached, with every method GraphQL needs, HTTPS only', () => {
    const behaviors = distribution().config.CacheBehaviors;
    expect(behaviors).toHaveLength(1);
    expect(behaviors[0]).toMatchObject({
      PathPattern: '/graphql',
      TargetOriginId: apiOrigin()?.Id,
      CachePolicyId: CACHING_DISABLED,
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'POST']),
      OriginRequestPolicyId: { Ref: expect.any(String) },
    });
  });

  it('forwards what GraphQL over HTTP needs and the viewer address, but no credentials and no cookies', () => {
    const [policy] = Object.values(resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy'));
    const config = policy?.Properties?.['OriginRequestPolicyConfig'] as {
      HeadersConfig: { HeaderBehavior: string; Headers: string[] };
      CookiesConfig: unknown;
      QueryStringsConfig: unknown;
    };
    expect(config.HeadersConfig.HeaderBehavior).toBe('whitelist');
    expect(config.HeadersConfig.Headers).toEqual(
      expect.arrayContaining(['content-type', 'apollo-require-preflight', 'CloudFront-Viewer-Address']),
    );
    expect(config.HeadersConfig.Headers.map((header) => header.toLowerCase())).not.toEqual(
      expect.arrayContaining(['authorization']),
    );
    expect(config.HeadersConfig.Headers.map((header) => header.toLowerCase())).not.toContain('x-api-key');
    expect(config.HeadersConfig.Headers.map((header) => header.toLowerCase())).not.toContain('host');
    expect(config.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    expect(config.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(distribution().config.CacheBehaviors[0]?.['OriginRequestPolicyId']).toEqual({
      Ref: Object.keys(resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy'))[0],
    });
  });

  it('the secret is two hidden deployment parameters, current and previous (rotation), both reaching the function, with the proposal budget', () => {
    template.hasParameter('OriginSecret', { Type: 'String', NoEcho: true, MinLength: 32 });
    template.hasParameter('OriginSecretPrevious', { Type: 'String', NoEcho: true, Default: '' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'visitplannr GraphQL API',
      Environment: {
        Variables: Match.objectLike({
          ORIGIN_SECRETS: { 'Fn::Join': [',', [{ Ref: 'OriginSecret' }, { Ref: 'OriginSecretPrevious' }]] },
          ANON_PROPOSALS_PER_VISITOR: String(DEFAULT_PROPOSAL_LIMITS.perVisitor),
          ANON_PROPOSALS_GLOBAL: String(DEFAULT_PROPOSAL_LIMITS.global),
          ANON_PROPOSAL_WINDOW_SECONDS: String(DEFAULT_PROPOSAL_LIMITS.windowSeconds),
          AUTH_MODE: 'api-key',
        }),
      },
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
    });
  });

  it('the distribution is updated after the GraphQL function, so a rotation is accepted before CloudFront sends the new secret', () => {
    expect(distribution().dependsOn).toEqual(expect.arrayContaining([logicalIdOf(stack, stack.api.function.fn)]));
  });

  it('with authMode=none too, the site serves /graphql through the secret', () => {
    const open = synthesize({ authMode: 'none' }).template;
    const [resource] = Object.values(resourcesOf(open, 'AWS::CloudFront::Distribution'));
    expect((resource?.Properties?.['DistributionConfig'] as DistributionConfig).CacheBehaviors[0]).toMatchObject({
      PathPattern: '/graphql',
    });
    open.hasParameter('OriginSecret', { NoEcho: true });
  });
});
