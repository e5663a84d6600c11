/**
 * One Lambda function of the system: bundled from TypeScript by the locally installed
 * esbuild (never Docker) as ESM for Node 22 on ARM64 with source maps, a log group with
 * a retention, JSON logs, and a role that starts with nothing but the right to write
 * its own logs. Everything else is granted explicitly (see capabilities.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { basename } from 'node:path';
import { Construct } from 'constructs';
import { acceptFinding } from '../nag.js';
import { REPO_ROOT } from './paths.js';
import { OtlpTracing } from './tracing.js';

export interface Placement {
  readonly vpc: IVpc;
  readonly securityGroup: ISecurityGroup;
}

export interface ServiceFunctionProps {
  /** The entry file, absolute. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** Only functions that talk to Redis run in the VPC. */
  readonly placement?: Placement;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly reservedConcurrentExecutions?: number;
  readonly logRetention?: RetentionDays;
  /** Asynchronous invocations (EventBridge): retries, then this queue. */
  readonly asyncFailures?: {
    readonly retryAttempts: number;
    readonly maxEventAge: Duration;
    readonly deadLetterQueue: IQueue;
  };
}

/**
 * esbuild's ESM output turns `require()` of Node built-ins inside bundled CommonJS
 * packages (ioredis, Powertools) into a throwing shim unless a real `require` exists.
 */
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * @as-integrations/aws-lambda require()s Apollo Server, so esbuild would bundle its
 * CommonJS build beside the ESM one the function imports (and both copies of
 * @graphql-tools): ~220 KB more to load on every cold start. Point both at the ESM build.
 */
const ONE_COPY_OF_DUAL_PACKAGES = { '--alias:@apollo/server': `${REPO_ROOT}node_modules/@apollo/server/dist/esm` };

export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (${id})`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.placement) {
      // Lambda creates and removes the function's network interfaces with these; the
      // EC2 actions take no resource-level constraint (AWSLambdaVPCAccessExecutionRole uses "*" too).
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
      acceptFinding(
        this.role,
        'AwsSolutions-IAM5[Resource::*]',
        'Lambda manages the VPC network interfaces of the function with EC2 actions that take no resource-level constraint (AWSLambdaVPCAccessExecutionRole grants the same on "*").',
      );
    }

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      environment: {
        LOG_LEVEL: 'INFO',
        // Stack traces point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      ...(props.asyncFailures ?? {}),
      ...(props.placement
        ? {
            vpc: props.placement.vpc,
            vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
            securityGroups: [props.placement.securityGroup],
          }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: the exact versions package.json pins and the tests ran,
        // tree-shaken, instead of whatever the runtime happens to ship.
        bundleAwsSDK: true,
        banner: REQUIRE_SHIM,
        esbuildArgs: ONE_COPY_OF_DUAL_PACKAGES,
        forceDockerBundling: false,
      },
    });
    // Every function exports its spans when the stack traces (see tracing.ts), named after its handler.
    OtlpTracing.of(this)?.instrument(
      this.fn,
      this.role,
      `visitplannr-${props.environment?.['HANDLER_NAME'] ?? basename(props.entry, '.ts')}`,
    );
    acceptFinding(
      this.fn,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime this service is built and tested for (esbuild targets node22; CI runs Node 20-22). Moving to a newer runtime is a deliberate upgrade with its own test run, not a lint fix.',
    );
  }

  /** An alarm on any error in five minutes: errors mean retries, then dead letters. */
  alarmOnErrors(): Alarm {
    return this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(this, 'ErrorsAlarm', {
      alarmDescription: `${this.node.id} failed invocations`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
