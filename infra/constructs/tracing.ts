/**
 * OTLP trace export from every function, without the X-Ray SDK (in maintenance since
 * 2026-02-25, end of support 2027-02-25).
 *
 * Why a collector extension and not OTLP straight from the function: CloudWatch's OTLP trace
 * endpoint (`https://xray.<region>.amazonaws.com/v1/traces`, X-Ray / Transaction Search) takes
 * only SigV4-signed requests, which OpenTelemetry JS's OTLP exporters cannot make, and a signed
 * export from the function would sit on every invocation's critical path (the GraphQL answer
 * waits for the function to return, and spans must be exported before it returns). So each
 * function carries the OpenTelemetry Lambda collector layer (the community build, which is ADOT's
 * upstream): the function's SDK sends OTLP/protobuf to it on localhost (the standard
 * `OTEL_EXPORTER_OTLP_*` variables, nothing else; `flush()` costs a loopback round trip), and
 * the collector exports with `sigv4auth` + `otlphttp` to the X-Ray OTLP endpoint. Its `decouple`
 * processor lets the invocation return first: the export happens after the response, before
 * Lambda freezes the environment (billed, not waited for). ADOT's own collector layer has no
 * decouple processor and exports inside the invocation; the ADOT Node.js layer adds
 * auto-instrumentation through a wrapper (`AWS_LAMBDA_EXEC_WRAPPER`) that a bundled ESM
 * function does not use.
 *
 * The account needs Transaction Search enabled once (CloudWatch console or
 * `aws xray update-trace-segment-destination --destination CloudWatchLogs`): the OTLP endpoint
 * refuses spans otherwise. Functions in the VPC (isolated subnets, no NAT) reach X-Ray through
 * an interface endpoint this construct adds (≈ $7.30 a month per AZ).
 */
import { Aws, Stack } from 'aws-cdk-lib';
import {
  InterfaceVpcEndpointAwsService,
  type IVpc,
  Port,
  type SecurityGroup,
  SecurityGroup as Ec2SecurityGroup,
  SubnetType,
} from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ILayerVersion, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { acceptFinding } from '../nag.js';

export type TracingMode = 'otlp' | 'off';

/**
 * The OpenTelemetry Lambda collector layer, as published by the opentelemetry-lambda project
 * (release layer-collector/0.23.0, August 2026) in every commercial region, for ARM64 (the
 * functions' architecture). A pinned version: a new collector is a deliberate upgrade.
 */
export const COLLECTOR_LAYER = {
  account: '184161586896',
  name: 'opentelemetry-collector-arm64-0_23_0',
  version: 1,
} as const;

/** Where the function's SDK sends its spans: the collector extension's OTLP/HTTP receiver. */
export const COLLECTOR_OTLP_ENDPOINT = 'http://localhost:4318';

/** The variable holding the collector's configuration, read through the collector's `env:` config provider. */
export const COLLECTOR_CONFIG_VARIABLE = 'VISITPLANNR_COLLECTOR_CONFIG';

/**
 * X-Ray's write actions for spans. None takes a resource-level permission, so `*` is the only
 * resource. PutSpans is what the OTLP endpoint authorizes an export with, PutSpansForIndexing
 * the share Transaction Search indexes as trace summaries; PutTraceSegments is also checked on
 * the same request in accounts where X-Ray still receives segments.
 */
export const XRAY_SPAN_ACTIONS = ['xray:PutSpans', 'xray:PutSpansForIndexing', 'xray:PutTraceSegments'] as const;

/**
 * The collector's configuration (JSON is YAML): OTLP/HTTP in on localhost only, decoupled from
 * the invocation, out over OTLP/HTTP with SigV4 to the region's X-Ray OTLP endpoint, gzipped.
 * `${env:AWS_REGION}` is expanded by the collector from the variable Lambda sets.
 */
export const collectorConfig = () => ({
  receivers: { otlp: { protocols: { http: { endpoint: 'localhost:4318' } } } },
  extensions: { sigv4auth: { region: '${env:AWS_REGION}', service: 'xray' } },
  processors: { decouple: {} },
  exporters: {
    'otlphttp/xray': {
      traces_endpoint: 'https://xray.${env:AWS_REGION}.amazonaws.com/v1/traces',
      auth: { authenticator: 'sigv4auth' },
      compression: 'gzip',
    },
  },
  service: {
    extensions: ['sigv4auth'],
    pipelines: { traces: { receivers: ['otlp'], processors: ['decouple'], exporters: ['otlphttp/xray'] } },
  },
});

export interface OtlpTracingProps {
  /** The VPC some functions run in, and the security group they wear: they reach X-Ray through an endpoint in it. */
  readonly vpc: IVpc;
  readonly functionSecurityGroup: SecurityGroup;
}

const ID = 'Tracing';

/** The stack's tracing: the collector layer and X-Ray's VPC endpoint, applied to each ServiceFunction as it is made. */
export class OtlpTracing extends Construct {
  readonly layer: ILayerVersion;

  /** The stack's OtlpTracing, or undefined when the stack traces nothing. */
  static of(scope: IConstruct): OtlpTracing | undefined {
    const found = Stack.of(scope).node.tryFindChild(ID);
    return found instanceof OtlpTracing ? found : undefined;
  }

  /** Made once per stack, before its functions. */
  constructor(scope: Stack, props: OtlpTracingProps) {
    super(scope, ID);
    this.layer = LayerVersion.fromLayerVersionArn(
      this,
      'CollectorLayer',
      `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${COLLECTOR_LAYER.account}:layer:${COLLECTOR_LAYER.name}:${COLLECTOR_LAYER.version}`,
    );
    const endpointSecurityGroup = new Ec2SecurityGroup(this, 'XRayEndpointSecurityGroup', {
      vpc: props.vpc,
      description: 'X-Ray interface endpoint: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(props.functionSecurityGroup, Port.tcp(443), 'HTTPS from the functions');
    props.functionSecurityGroup.addEgressRule(endpointSecurityGroup, Port.tcp(443), 'X-Ray OTLP endpoint (traces)');
    props.vpc.addInterfaceEndpoint('XRayEndpoint', {
      service: InterfaceVpcEndpointAwsService.XRAY,
      subnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      privateDnsEnabled: true,
      securityGroups: [endpointSecurityGroup],
      open: false,
    });
  }

  /** Adds the collector, the SDK's standard variables and X-Ray's write actions to one function. */
  instrument(fn: NodejsFunction, role: Role, serviceName: string): void {
    fn.addLayers(this.layer);
    fn.addEnvironment('OTEL_EXPORTER_OTLP_ENDPOINT', COLLECTOR_OTLP_ENDPOINT);
    fn.addEnvironment('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');
    fn.addEnvironment('OTEL_SERVICE_NAME', serviceName);
    fn.addEnvironment('OPENTELEMETRY_COLLECTOR_CONFIG_URI', `env:${COLLECTOR_CONFIG_VARIABLE}`);
    fn.addEnvironment(COLLECTOR_CONFIG_VARIABLE, JSON.stringify(collectorConfig()));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: [...XRAY_SPAN_ACTIONS], resources: ['*'] }));
    acceptFinding(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray span writes (PutSpans, PutSpansForIndexing, PutTraceSegments) take no resource-level constraint: "*" is the only resource they accept.',
    );
  }
}
