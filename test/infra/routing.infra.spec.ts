import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { busRoutes, EVENT_SOURCE, rulePatternFor, type Route, topology } from '../../src/topology/topology.js';
import type { VisitplannrStack } from '../../infra/stack.js';
import { logicalIdOf, resourcesOf, synthesize } from './synth.js';

interface RuleProperties {
  EventBusName: unknown;
  EventPattern: { source: string[]; 'detail-type': string[] };
  Targets: { Arn: unknown; DeadLetterConfig?: unknown; RetryPolicy?: unknown }[];
}

const rulesOf = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::Events::Rule')).map((rule) => rule.Properties as unknown as RuleProperties);

describe('bus routes → EventBridge rules', () => {
  let stack: VisitplannrStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthesize());
  });

  it('one rule per bus route on the custom bus, whose pattern is the one the local stack routes with', () => {
    const rules = rulesOf(template);
    expect(rules).toHaveLength(busRoutes(topology).length);
    for (const route of busRoutes(topology)) {
      const wired = stack.handlers.wired.get(route.handler)!;
      const fnArn = { 'Fn::GetAtt': [logicalIdOf(stack, wired.function.fn), 'Arn'] };
      const rule = rules.find((candidate) => JSON.stringify(candidate.Targets[0]?.Arn) === JSON.stringify(fnArn));
      expect(rule, route.handler).toBeDefined();
      expect(rule!.EventBusName).toEqual({ Ref: logicalIdOf(stack, stack.fanout.bus) });
      expect(rule!.EventPattern).toEqual(rulePatternFor(route));
      expect(rule!.EventPattern.source).toEqual([EVENT_SOURCE]);
    }
  });

  it("each rule's target retries delivery, then dead-letters to the route's queue", () => {
    for (const route of busRoutes(topology)) {
      const wired = stack.handlers.wired.get(route.handler)!;
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack, wired.function.fn), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack, wired.deadLetters.queue), 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
          }),
        ],
      });
    }
  });

  it('each bus handler retries a failed invocation twice, then dead-letters the event', () => {
    for (const route of busRoutes(topology)) {
      const wired = stack.handlers.wired.get(route.handler)!;
      const fn = logicalIdOf(stack, wired.function.fn);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fn },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ HANDLER_NAME: route.handler }) },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, wired.deadLetters.queue), 'Arn'] } },
      });
    }
  });
});

describe('adding a route to the topology', () => {
  const audit: Route = {
    handler: 'audit',
    delivery: 'bus',
    consumes: ['CommandRejected', 'CommandFailed'],
    emits: [],
    uses: ['events:read'],
  };
  let before: Template;
  let after: Template;
  let extended: VisitplannrStack;
  beforeAll(() => {
    before = synthesize().template;
    ({ stack: extended, template: after } = synthesize({ routes: [...topology, audit] }));
  });

  it('adds its rule, function, dead-letter queue and alarms, with no change to the infra code', () => {
    const count = (template: Template, type: string) => Object.keys(resourcesOf(template, type)).length;
    expect(count(after, 'AWS::Events::Rule')).toBe(count(before, 'AWS::Events::Rule') + 1);
    expect(count(after, 'AWS::Lambda::Function')).toBe(count(before, 'AWS::Lambda::Function') + 1);
    expect(count(after, 'AWS::SQS::Queue')).toBe(count(before, 'AWS::SQS::Queue') + 1);
    expect(count(after, 'AWS::CloudWatch::Alarm')).toBe(count(before, 'AWS::CloudWatch::Alarm') + 2);

    const fn = logicalIdOf(extended, extended.handlers.wired.get('audit')!.function.fn);
    after.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': ['CommandRejected', 'CommandFailed'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })],
    });
  });

  it('derives its grants and placement from what it uses: read the event table, nothing else, outside the VPC', () => {
    const fn = extended.handlers.wired.get('audit')!.function;
    after.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ HANDLER_NAME: 'audit', REDIS_URL: Match.absent() }) },
      VpcConfig: Match.absent(),
      Role: { 'Fn::GetAtt': [logicalIdOf(extended, fn.role), 'Arn'] },
    });
    const [policy] = Object.values(
      resourcesOf(after, 'AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalIdOf(extended, fn.role) }] } }),
    );
    const document = policy!.Properties['PolicyDocument'] as { Statement: { Action: string | string[] }[] };
    const actions = document.Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });
});
