import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Capability, PUBLICATIONS_KEY, topology } from '../../src/topology/topology.js';
import { COMMAND_FAILURES_USES } from '../../infra/constructs/command-failures.js';
import { GRAPHQL_USES } from '../../infra/constructs/graphql-api.js';
import type { ServiceFunction } from '../../infra/constructs/service-function.js';
import { awsSolutionsChecks } from '../../infra/nag.js';
import { InvalidStackConfigurationError, parseAuthMode, type VisitplannrStack } from '../../infra/stack.js';
import { logicalIdOf, resourcesOf, synthesize, type Synthesized } from './synth.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

let synthesized: Synthesized;
let stack: VisitplannrStack;
let template: Template;
beforeAll(() => {
  synthesized = synthesize();
  ({ stack, template } = synthesized);
});

const statementsOf = (role: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter(({ Properties }) => JSON.stringify(Properties?.['Roles']).includes(`"${role}"`))
    .flatMap(({ Properties }) => (Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);

/** What each capability must allow on which table, stated independently of the infra code. */
const EXPECTED: Record<Capability, { table: 'events' | 'readModels'; actions: string[] } | null> = {
  'events:read': { table: 'events', actions: ['dynamodb:GetItem', 'dynamodb:Query'] },
  'events:append': { table: 'events', actions: ['dynamodb:PutItem'] },
  'read-models:read': { table: 'readModels', actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'] },
  'read-models:write': { table: 'readModels', actions: ['dynamodb:PutItem'] },
  notifications: null,
  'site:write': null,
  'site:read': null,
  'cdn:invalidate': null,
  'publications:write': { table: 'readModels', actions: ['dynamodb:UpdateItem'] },
};
const STREAM_READS = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
]);

function tableActions(fn: ServiceFunction): Record<'events' | 'readModels', string[]> {
  const tables = {
    events: logicalIdOf(stack, stack.tables.events),
    readModels: logicalIdOf(stack, stack.tables.readModels),
  };
  const result = { events: [] as string[], readModels: [] as string[] };
  for (const statement of statementsOf(logicalIdOf(stack, fn.role))) {
    const actions = list(statement.Action).filter(
      (action) => action.startsWith('dynamodb:') && !STREAM_READS.has(action),
    );
    if (actions.length === 0) continue;
    const resources = JSON.stringify(statement.Resource);
    for (const [name, id] of Object.entries(tables))
      if (resources.includes(`"${id}"`)) result[name as keyof typeof tables].push(...actions);
  }
  return { events: [...new Set(result.events)].sort(), readModels: [...new Set(result.readModels)].sort() };
}

function expectedActions(uses: readonly Capability[]): Record<'events' | 'readModels', string[]> {
  const result = { events: new Set<string>(), readModels: new Set<string>() };
  for (const capability of uses) {
    const grant = EXPECTED[capability];
    if (grant) for (const action of grant.actions) result[grant.table].add(action);
  }
  return { events: [...result.events].sort(), readModels: [...result.readModels].sort() };
}

describe('least-privilege IAM', () => {
  it('each function gets exactly the table actions its capabilities need', () => {
    expect(tableActions(stack.api.function)).toEqual(expectedActions(GRAPHQL_USES));
    for (const route of topology) {
      expect(tableActions(stack.handlers.wired.get(route.handler)!.function), route.handler).toEqual(
        expectedActions(route.uses),
      );
    }
    expect(tableActions(stack.fanout.function)).toEqual({ events: [], readModels: [] });
    expect(tableActions(stack.commandFailures!.function)).toEqual(expectedActions(COMMAND_FAILURES_USES));
  });

  it('the fan-out may put events on its bus and nowhere else', () => {
    const puts = statementsOf(logicalIdOf(stack, stack.fanout.function.role)).filter((statement) =>
      list(statement.Action).includes('events:PutEvents'),
    );
    expect(puts).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [logicalIdOf(stack, stack.fanout.bus), 'Arn'] } }),
    ]);
  });

  it('the renderer may read and write the homepage object, and list the bucket (so a missing object is a 404)', () => {
    const wired = stack.handlers.wired.get('render-homepage')!;
    const s3 = statementsOf(logicalIdOf(stack, wired.function.role)).filter((statement) =>
      list(statement.Action).some((action) => action.startsWith('s3:')),
    );
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf(stack, stack.site.bucket), 'Arn'] };
    expect(s3).toEqual([
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/index.html']] },
      }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: bucketArn }),
    ]);
  });

  it('the publication history is the only read model its writers may update', () => {
    for (const handler of ['render-homepage', 'invalidate-cdn']) {
      const wired = stack.handlers.wired.get(handler)!;
      const updates = statementsOf(logicalIdOf(stack, wired.function.role)).filter((statement) =>
        list(statement.Action).includes('dynamodb:UpdateItem'),
      );
      expect(updates, handler).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:UpdateItem',
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PUBLICATIONS_KEY] } },
        }),
      ]);
    }
  });

  it("the invalidator may invalidate this distribution, mark the publication history, read the homepage's metadata, and do nothing else", () => {
    const wired = stack.handlers.wired.get('invalidate-cdn')!;
    // Logs, its dead letters and its spans (every function's: tracing.infra.spec.ts) aside.
    const actions = statementsOf(logicalIdOf(stack, wired.function.role)).filter(
      (statement) =>
        !list(statement.Action).some((action) =>
          ['logs:', 'sqs:', 'xray:'].some((prefix) => action.startsWith(prefix)),
        ),
    );
    // The UpdateItem, on the publication history only, is pinned by the test above.
    expect(actions.filter((statement) => !list(statement.Action).includes('dynamodb:UpdateItem'))).toEqual([
      expect.objectContaining({
        Action: 'cloudfront:CreateInvalidation',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudfront::',
              { Ref: 'AWS::AccountId' },
              ':distribution/',
              { Ref: logicalIdOf(stack, stack.site.distribution) },
            ],
          ],
        },
      }),
      // HEAD of the homepage, for the trace of the publish that wrote it: that object only, no listing.
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack, stack.site.bucket), 'Arn'] }, '/index.html']],
        },
      }),
    ]);
  });

  it("no managed policies on our roles, none anywhere granting full access, and no action wildcards outside CDK's deploy-time copy", () => {
    const roles = Object.entries(resourcesOf(template, 'AWS::IAM::Role'));
    for (const [id, { Properties }] of roles) {
      const managed = JSON.stringify(Properties?.['ManagedPolicyArns'] ?? []);
      expect(managed).not.toMatch(/FullAccess/);
      // CDK's deploy-time functions (bucket notifications, the trigger provider, the site bucket's
      // emptying on delete) keep their basic-execution policy.
      const cdkOwn = [
        'BucketNotificationsHandler',
        'AWSCDKTriggerCustomResourceProvider',
        'CustomS3AutoDeleteObjectsCustomResourceProvider',
      ].some((prefix) => id.startsWith(prefix));
      if (!cdkOwn) expect(Properties?.['ManagedPolicyArns'], id).toBeUndefined();
    }
    const copyRole = logicalIdOf(stack, stack.siteAssets.role);
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
    const actionsOf = (policy: (typeof policies)[number]) =>
      (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement.flatMap((statement) =>
        list(statement.Action),
      );
    const copying = policies.filter(
      (policy) => JSON.stringify(policy.Properties?.['Roles']) === JSON.stringify([{ Ref: copyRole }]),
    );
    expect(copying).toHaveLength(1);
    // BucketDeployment's own grants (wildcards included, accepted in cdk-nag): S3 and its logs, nothing else.
    for (const action of actionsOf(copying[0]!)) expect(action).toMatch(/^(s3|logs):/);
    const ours = policies.filter((policy) => !copying.includes(policy)).flatMap(actionsOf);
    expect(ours.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('"Resource: *" only where AWS offers no narrower resource: VPC network interfaces, ListStreams, X-Ray span writes', () => {
    const allowedOnAnyResource = new Set([
      'xray:PutSpans',
      'xray:PutSpansForIndexing',
      'xray:PutTraceSegments',
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      'dynamodb:ListStreams',
      // CDK's deploy-time function that writes the bucket's notification configuration.
      's3:PutBucketNotification',
    ]);
    const onAnyResource = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .flatMap(({ Properties }) => (Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement)
      .filter((statement) => list(statement.Resource).includes('*'))
      .flatMap((statement) => list(statement.Action));
    expect(onAnyResource.length).toBeGreaterThan(0);
    for (const action of onAnyResource) expect(allowedOnAnyResource, action).toContain(action);
  });
});

describe('authentication settings', () => {
  it('authMode none deploys without a key parameter and tells the function so', () => {
    const open = synthesize({ authMode: 'none' }).template;
    expect(Object.keys(open.findParameters('ApiKeySha256'))).toEqual([]);
    open.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'visitplannr GraphQL API',
      Environment: { Variables: Match.objectLike({ AUTH_MODE: 'none', API_KEY_SHA256: Match.absent() }) },
    });
  });

  it('authMode jwt is refused with the reason (no route to a JWKS from isolated subnets)', () => {
    expect(() => parseAuthMode('jwt')).toThrow(InvalidStackConfigurationError);
    expect(() => parseAuthMode('jwt')).toThrow(/isolated subnets/);
    expect(() => parseAuthMode('basic')).toThrow(InvalidStackConfigurationError);
    expect(parseAuthMode(undefined)).toBe('api-key');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no finding that was not accepted', () => {
    const report = awsSolutionsChecks(synthesized.app).validateScope(synthesized.app);
    expect(
      report.violations.map(
        (violation) =>
          `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every accepted finding carries a reason a reviewer can check', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
      )
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => id.startsWith('Annotation::AwsSolutions-'));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^Annotation::AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});
