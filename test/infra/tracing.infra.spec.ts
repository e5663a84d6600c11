/**
 * OTLP export on AWS (infra/constructs/tracing.ts): every function of the system carries the
 * collector layer, the SDK's standard variables pointing at it, the collector's configuration
 * (OTLP in on localhost, SigV4 OTLP out to X-Ray) and X-Ray's span writes, nothing more; VPC
 * functions reach X-Ray through an interface endpoint only they may call; no X-Ray SDK, no
 * wrapper. `-c tracing=off` removes all of it.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_CONFIG_VARIABLE, COLLECTOR_LAYER, XRAY_SPAN_ACTIONS } from '../../infra/constructs/tracing.js';
import { InvalidStackConfigurationError, parseTracing, type VisitplannrStack } from '../../infra/stack.js';
import { telemetrySettings } from '../../src/shell/telemetry/index.js';
import { logicalIdOf, resourcesOf, synthesize } from './synth.js';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
type Variables = Record<string, unknown>;

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The system's own functions (CDK's deploy-time helpers are not ours to instrument). */
function serviceFunctions(stack: VisitplannrStack) {
  return [
    stack.api.function,
    stack.fanout.function,
    ...[...stack.handlers.wired.values()].map((wired) => wired.function),
    ...(stack.commandFailures ? [stack.commandFailures.function] : []),
  ];
}

function functionProperties(template: Template, logicalId: string): Record<string, unknown> {
  return resourcesOf(template, 'AWS::Lambda::Function')[logicalId]!.Properties;
}

const variablesOf = (template: Template, logicalId: string): Variables =>
  (functionProperties(template, logicalId)['Environment'] as { Variables?: Variables } | undefined)?.Variables ?? {};

const statementsOf = (template: Template, role: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter(({ Properties }) => JSON.stringify(Properties?.['Roles']).includes(`"${role}"`))
    .flatMap(({ Properties }) => (Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);

describe('tracing on (the default)', () => {
  let stack: VisitplannrStack;
  let template: Template;
  beforeAll(() => ({ stack, template } = synthesize()));

  it('every function carries the pinned collector layer and the standard OTLP variables pointing at it', () => {
    const functions = serviceFunctions(stack);
    expect(functions.length).toBeGreaterThanOrEqual(8);
    const names = new Set<unknown>();
    for (const fn of functions) {
      const id = logicalIdOf(stack, fn.fn);
      const layers = JSON.stringify(functionProperties(template, id)['Layers']);
      expect(layers, id).toContain(
        `:${COLLECTOR_LAYER.account}:layer:${COLLECTOR_LAYER.name}:${COLLECTOR_LAYER.version}`,
      );
      const variables = variablesOf(template, id);
      expect(variables, id).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OPENTELEMETRY_COLLECTOR_CONFIG_URI: `env:${COLLECTOR_CONFIG_VARIABLE}`,
      });
      expect(variables['OTEL_SERVICE_NAME'], id).toMatch(/^visitplannr-[a-z-]+$/);
      names.add(variables['OTEL_SERVICE_NAME']);
      // What the function's own start-up makes of its environment: tracing, over protobuf.
      expect(telemetrySettings(variables as Record<string, string>), id).toEqual({
        enabled: true,
        protocol: 'http/protobuf',
      });
      // The SDK is started by the code, not by a wrapper, and X-Ray's own (SDK) tracing stays off.
      expect(variables['AWS_LAMBDA_EXEC_WRAPPER'], id).toBeUndefined();
      expect(functionProperties(template, id)['TracingConfig'], id).toBeUndefined();
    }
    // One service name per function: traces tell the hops apart.
    expect(names.size).toBe(functions.length);
    expect(names).toContain('visitplannr-graphql');
    expect(names).toContain('visitplannr-decide');
    expect(names).toContain('visitplannr-validate-geolocation');
  });

  it("the collector takes OTLP on localhost only and exports it signed (SigV4) to the region's X-Ray OTLP endpoint, after the response", () => {
    const variables = variablesOf(template, logicalIdOf(stack, stack.api.function.fn));
    const config = JSON.parse(String(variables[COLLECTOR_CONFIG_VARIABLE])) as Record<
      'receivers' | 'extensions' | 'exporters' | 'service',
      Record<string, unknown>
    >;
    expect(config.receivers).toEqual({ otlp: { protocols: { http: { endpoint: 'localhost:4318' } } } });
    expect(config.extensions.sigv4auth).toEqual({ region: '${env:AWS_REGION}', service: 'xray' });
    expect(config.exporters['otlphttp/xray']).toEqual({
      traces_endpoint: 'https://xray.${env:AWS_REGION}.amazonaws.com/v1/traces',
      auth: { authenticator: 'sigv4auth' },
      compression: 'gzip',
    });
    expect(config.service).toEqual({
      extensions: ['sigv4auth'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['decouple'], exporters: ['otlphttp/xray'] } },
    });
    // Lambda allows 4 KB of variables per function; the configuration leaves room for the rest.
    for (const fn of serviceFunctions(stack))
      expect(JSON.stringify(variablesOf(template, logicalIdOf(stack, fn.fn))).length).toBeLessThan(3000);
  });

  it("each function's role may write spans to X-Ray and nothing else of X-Ray", () => {
    for (const fn of serviceFunctions(stack)) {
      const xray = statementsOf(template, logicalIdOf(stack, fn.role)).filter((statement) =>
        list(statement.Action).some((action) => action.startsWith('xray:')),
      );
      expect(xray, fn.node.path).toEqual([
        expect.objectContaining({ Action: [...XRAY_SPAN_ACTIONS], Resource: '*', Effect: 'Allow' }),
      ]);
    }
  });

  it('functions in the isolated subnets reach X-Ray through a private interface endpoint only they may call', () => {
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).filter(({ Properties }) =>
      JSON.stringify(Properties?.['ServiceName']).includes('.xray'),
    );
    expect(endpoints).toHaveLength(1);
    const endpoint = endpoints[0]!.Properties;
    expect(endpoint).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    expect(endpoint['SubnetIds']).toHaveLength(2);
    const [groupRef] = endpoint['SecurityGroupIds'] as [{ 'Fn::GetAtt': [string, string] }];
    const group = resourcesOf(template, 'AWS::EC2::SecurityGroup')[groupRef['Fn::GetAtt'][0]]!.Properties;
    const functionGroup = logicalIdOf(stack, stack.network.functionSecurityGroup);
    const ingress = [
      ...((group['SecurityGroupIngress'] as unknown[] | undefined) ?? []),
      ...Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
        .map(({ Properties }) => Properties)
        .filter((rule) => JSON.stringify(rule['GroupId']).includes(groupRef['Fn::GetAtt'][0])),
    ] as Record<string, unknown>[];
    expect(ingress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [functionGroup, 'GroupId'] },
      }),
    ]);
  });
});

describe('tracing off (-c tracing=off)', () => {
  it('deploys no layer, no OTLP variables, no X-Ray permission and no X-Ray endpoint', () => {
    const { stack, template } = synthesize({ tracing: 'off' });
    expect(stack.tracing).toBeUndefined();
    for (const fn of serviceFunctions(stack)) {
      const id = logicalIdOf(stack, fn.fn);
      expect(functionProperties(template, id)['Layers'], id).toBeUndefined();
      const variables = variablesOf(template, id);
      expect(Object.keys(variables).filter((name) => name.startsWith('OTEL_') || name.includes('COLLECTOR'))).toEqual(
        [],
      );
      expect(telemetrySettings(variables as Record<string, string>).enabled).toBe(false);
    }
    expect(JSON.stringify(resourcesOf(template, 'AWS::IAM::Policy'))).not.toContain('xray:');
    expect(JSON.stringify(resourcesOf(template, 'AWS::EC2::VPCEndpoint'))).not.toContain('.xray');
  });

  it('reads the context value, refusing anything but otlp or off', () => {
    expect(parseTracing(undefined)).toBe('otlp');
    expect(parseTracing('otlp')).toBe('otlp');
    expect(parseTracing('off')).toBe('off');
    expect(() => parseTracing('xray')).toThrow(InvalidStackConfigurationError);
    expect(() => parseTracing('xray')).toThrow('tracing must be "otlp" or "off", not "xray"');
  });
});
