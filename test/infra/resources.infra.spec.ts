import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  objectCreatedRoutes,
  readModelStreamRoutes,
  streamFilterFor,
  streamRoutes,
  topology,
} from '../../src/topology/topology.js';
import type { VisitplannrStack } from '../../infra/stack.js';
import { graphqlFunctionTimeoutMs } from '../../src/shell/graphql/time-budget.js';
import { buildHomepageAssets } from '../../src/shell/site/build-assets.js';
import { HOMEPAGE_ASSETS } from '../../src/site/assets.js';
import { findCycle, type TemplateJson } from './graph.js';
import { logicalIdOf, resourcesOf, synthesize } from './synth.js';

let stack: VisitplannrStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthesize());
});

/** This system's functions (CDK adds one of its own to configure bucket notifications at deploy time). */
const ownFunctions = () =>
  Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(([, { Properties }]) =>
      String(Properties?.['Description']).startsWith('visitplannr '),
    ),
  );
const fnId = (fn: { fn: { node: { defaultChild?: unknown } } }) => logicalIdOf(stack, fn.fn);
const eventTableId = () => logicalIdOf(stack, stack.tables.events);
const streamArn = () => ({ 'Fn::GetAtt': [eventTableId(), 'StreamArn'] });

describe('tables', () => {
  it('the event table: stream id + version keys, on demand, point-in-time recovery, a stream of new images, kept on stack deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'streamId', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'version', AttributeType: 'N' }]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('the read-model table: one key, on demand, point-in-time recovery, a stream of keys for the homepage', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
    });
  });
});

describe('functions', () => {
  it('every function runs Node 22 on ARM64 from an ESM bundle, logs JSON to its own log group with a retention, and maps stack traces to the sources', () => {
    const functions = Object.values(ownFunctions());
    expect(functions.length).toBe(3 + topology.length); // GraphQL, fan-out, decide-failures, one per route
    for (const { Properties } of functions) {
      expect(Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
    for (const { Properties } of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')))
      expect(Properties?.['RetentionInDays']).toBe(30);
  });
});

describe('the GraphQL API', () => {
  it('an HTTP API with POST and GET routes on /graphql to the GraphQL function (payload v2)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    for (const method of ['POST', 'GET'])
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${method} /graphql` });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [fnId(stack.api.function), 'Arn'] },
    });
  });

  it('has no CORS: the homepage calls /graphql on its own origin (site-origin.infra.spec.ts)', () => {
    const [api] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    expect(api?.Properties?.['CorsConfiguration']).toBeUndefined();
  });

  it('throttles the stage and logs its requests', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('mutations need an API key: the deploy supplies the digests as a parameter, which the function reads', () => {
    template.hasParameter('ApiKeySha256', { Type: 'String', AllowedPattern: '^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'visitplannr GraphQL API',
      Environment: { Variables: Match.objectLike({ AUTH_MODE: 'api-key', API_KEY_SHA256: { Ref: 'ApiKeySha256' } }) },
    });
  });

  it('the GraphQL function knows its tables, the cache (TLS, cluster mode) and its deadline, and runs in the VPC', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'visitplannr GraphQL API',
      Environment: {
        Variables: Match.objectLike({
          EVENT_TABLE_NAME: { Ref: eventTableId() },
          READ_MODEL_TABLE_NAME: { Ref: logicalIdOf(stack, stack.tables.readModels) },
          REDIS_MODE: 'cluster',
          REDIS_URL: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['rediss://'])] }),
          MUTATION_DEADLINE_MS: '5000',
          ALLOWED_ORIGINS: Match.absent(),
          ENABLE_DEVELOPER_TOOLS: 'false',
        }),
      },
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Timeout: graphqlFunctionTimeoutMs() / 1000,
    });
  });
});

describe("the event table's stream", () => {
  const mappings = () =>
    Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).map((mapping) => mapping.Properties ?? {});

  it('has exactly two readers, the decider and the fan-out (a shard tolerates two)', () => {
    const readers = mappings().filter(
      (mapping) => JSON.stringify(mapping['EventSourceArn']) === JSON.stringify(streamArn()),
    );
    expect(readers.map((mapping) => mapping['FunctionName'])).toEqual(
      expect.arrayContaining([
        { Ref: fnId(stack.fanout.function) },
        { Ref: fnId(stack.handlers.wired.get('decide')!.function) },
      ]),
    );
    expect(readers).toHaveLength(2);
  });

  it('the fan-out reads inserts only, in batches, bisecting on error, reporting item failures, then dead-lettering to SQS', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId(stack.fanout.function) },
      EventSourceArn: streamArn(),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack, stack.fanout.deadLetters.queue), 'Arn'] } },
      },
    });
  });

  it("the decider reads its commands straight from the stream, filtered by the topology's declaration", () => {
    for (const route of streamRoutes(topology)) {
      const wired = stack.handlers.wired.get(route.handler)!;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId(wired.function) },
        EventSourceArn: streamArn(),
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(streamFilterFor(route)) }] },
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack, wired.deadLetters.queue), 'Arn'] } },
        },
      });
    }
  });

  it('when the decider gives up, its failure queue feeds a function that records the commands as FAILED; what it cannot record is parked after 5 tries', () => {
    const failures = stack.commandFailures!;
    const deciderQueue = logicalIdOf(stack, stack.handlers.wired.get('decide')!.deadLetters.queue);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId(failures.function) },
      EventSourceArn: { 'Fn::GetAtt': [deciderQueue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResource('AWS::SQS::Queue', {
      Properties: Match.objectLike({
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, failures.unrecorded.queue), 'Arn'] },
          maxReceiveCount: 5,
        },
      }),
    });
    const [deciderQueueResource] = Object.entries(resourcesOf(template, 'AWS::SQS::Queue')).filter(
      ([id]) => id === deciderQueue,
    );
    expect(deciderQueueResource?.[1].Properties?.['VisibilityTimeout']).toBeGreaterThan(30);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^visitplannr decide-failures'),
      Environment: {
        Variables: Match.objectLike({ EVENT_TABLE_NAME: { Ref: eventTableId() }, REDIS_URL: Match.absent() }),
      },
      VpcConfig: Match.absent(),
    });
  });

  it('the fan-out sends to the custom bus and stays out of the VPC', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('fan-out'),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: logicalIdOf(stack, stack.fanout.bus) } }) },
      VpcConfig: Match.absent(),
    });
  });
});

describe('the notification cache and its network', () => {
  it('ElastiCache Serverless, Valkey, in the isolated subnets behind its own security group', () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      SubnetIds: stack.network.vpc.isolatedSubnets.map((subnet) => ({ Ref: logicalIdOf(stack, subnet) })),
      SecurityGroupIds: [{ 'Fn::GetAtt': [logicalIdOf(stack, stack.network.cacheSecurityGroup), 'GroupId'] }],
    });
  });

  it('a VPC with isolated subnets only, no NAT, and a DynamoDB gateway endpoint on their route tables', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
      RouteTableIds: Match.arrayWith([Match.objectLike({ Ref: Match.anyValue() })]),
    });
  });

  it('the cache admits the Redis port from the notifying functions and nothing else', () => {
    const cacheSg = logicalIdOf(stack, stack.network.cacheSecurityGroup);
    const functionSg = logicalIdOf(stack, stack.network.functionSecurityGroup);
    const ingress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
      .map((rule) => rule.Properties)
      .filter((rule) => JSON.stringify(rule?.['GroupId']).includes(`"${cacheSg}"`));
    expect(ingress).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [cacheSg, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [functionSg, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 6379,
        ToPort: 6379,
      }),
    ]);
    const [cacheGroup] = Object.values(
      resourcesOf(template, 'AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: Match.stringLikeRegexp('ElastiCache') },
      }),
    );
    expect(cacheGroup).toBeDefined();
    expect(cacheGroup?.Properties['SecurityGroupIngress']).toBeUndefined();
    // The cache's is the only other group that admits anything: the X-Ray endpoint's (tracing.infra.spec.ts) aside.
    const admitting = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).map((rule) =>
      JSON.stringify(rule.Properties?.['GroupId']),
    );
    expect(admitting.filter((group) => !group.includes(`"${cacheSg}"`) && !group.includes('XRayEndpoint'))).toEqual([]);
  });

  it('only functions that talk to Redis are in the VPC: the GraphQL one and the routes that notify', () => {
    const inVpc = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))
      .filter(({ Properties }) => Properties?.['VpcConfig'])
      .map(({ Properties }) => Properties?.['Description']);
    const notifying = topology
      .filter((route) => (route.uses as readonly string[]).includes('notifications'))
      .map((route) => route.handler);
    expect(inVpc).toHaveLength(1 + notifying.length);
    expect(inVpc).toContain('visitplannr GraphQL API');
    for (const handler of notifying) expect(inVpc).toContainEqual(expect.stringContaining(`visitplannr ${handler} `));
  });
});

describe('the homepage', () => {
  const route = (handler: string) => stack.handlers.wired.get(handler)!;

  it("render-homepage reads changes of the recent list from the read-model table's stream, batched as the topology says", () => {
    const [rendering] = readModelStreamRoutes(topology);
    const wired = route(rendering!.handler);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId(wired.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.tables.readModels), 'StreamArn'] },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(rendering!.filter) }] },
      BatchSize: rendering!.batching.batchSize,
      MaximumBatchingWindowInSeconds: rendering!.batching.maximumBatchingWindowInSeconds,
      ParallelizationFactor: 1,
      StartingPosition: rendering!.batching.startingPosition,
      MaximumRetryAttempts: rendering!.batching.retryAttempts,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack, wired.deadLetters.queue), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^visitplannr render-homepage '),
      Environment: {
        Variables: Match.objectLike({
          READ_MODEL_TABLE_NAME: { Ref: logicalIdOf(stack, stack.tables.readModels) },
          SITE_BUCKET_NAME: { Ref: logicalIdOf(stack, stack.site.bucket) },
          API_URL: Match.absent(),
          EVENT_TABLE_NAME: Match.absent(),
          REDIS_URL: Match.absent(),
        }),
      },
      VpcConfig: Match.absent(),
    });
  });

  it('render-homepage also runs once per deployment (a trigger), so a fresh stack serves a page before the first proposal', () => {
    const wired = route('render-homepage');
    const versions = Object.keys(
      template.findResources('AWS::Lambda::Version', { Properties: { FunctionName: { Ref: fnId(wired.function) } } }),
    );
    expect(versions).toHaveLength(1);
    template.hasResourceProperties('Custom::Trigger', {
      HandlerArn: { Ref: versions[0] },
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
    });
  });

  it("invalidate-cdn is fed by the bucket's object-created notifications and told the distribution id and the bucket (for the page's trace)", () => {
    const [invalidating] = objectCreatedRoutes(topology);
    const wired = route(invalidating!.handler);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(stack, stack.site.bucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          { Events: ['s3:ObjectCreated:*'], LambdaFunctionArn: { 'Fn::GetAtt': [fnId(wired.function), 'Arn'] } },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^visitplannr invalidate-cdn '),
      Environment: {
        Variables: Match.objectLike({
          DISTRIBUTION_ID: { Ref: logicalIdOf(stack, stack.site.distribution) },
          SITE_BUCKET_NAME: { Ref: logicalIdOf(stack, stack.site.bucket) },
        }),
      },
      VpcConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId(wired.function) },
      MaximumRetryAttempts: 2,
    });
  });

  it("the page's script and styles are deployed into the bucket with their content type and caching, never pruning the rendered page", async () => {
    const assets = await buildHomepageAssets();
    expect(assets.map((asset) => asset.key).sort()).toEqual(Object.values(HOMEPAGE_ASSETS).sort());
    for (const asset of assets) {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: logicalIdOf(stack, stack.site.bucket) },
        Prune: false,
        SystemMetadata: { 'content-type': asset.contentType, 'cache-control': asset.cacheControl },
      });
    }
    template.resourceCountIs('Custom::CDKBucketDeployment', assets.length);
  });

  it('has no dependency cycle: the bucket itself holds no notification configuration', () => {
    const [bucket] = Object.values(
      resourcesOf(template, 'AWS::S3::Bucket', { Properties: { VersioningConfiguration: Match.anyValue() } }),
    );
    expect(bucket?.Properties['NotificationConfiguration']).toBeUndefined();
    expect(findCycle(template.toJSON() as TemplateJson)).toBeNull();
  });

  it('(the cycle check finds the loop a notification configuration on the bucket itself would close)', () => {
    const looped: TemplateJson = {
      Resources: {
        Bucket: {
          Properties: {
            NotificationConfiguration: {
              LambdaConfigurations: [{ Function: { 'Fn::GetAtt': ['Invalidate', 'Arn'] } }],
            },
          },
        },
        Distribution: { Properties: { Origins: [{ DomainName: { 'Fn::GetAtt': ['Bucket', 'RegionalDomainName'] } }] } },
        Invalidate: { Properties: { Environment: { Variables: { DISTRIBUTION_ID: { Ref: 'Distribution' } } } } },
      },
    };
    expect(findCycle(looped)).toEqual(['Bucket', 'Invalidate', 'Distribution', 'Bucket']);
  });

  it('a private bucket: public access blocked, encrypted, versioned, access-logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'bucket/' }),
    });
  });

  it('a bucket policy that refuses plain HTTP and lets only this distribution read', () => {
    const bucket = logicalIdOf(stack, stack.site.bucket);
    const distributionArn = {
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
    };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
          }),
        ]),
      },
    });
  });

  it('CloudFront in front, reading through Origin Access Control, HTTPS only, with security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        // The bucket, and the API (site-origin.infra.spec.ts).
        Origins: Match.arrayWith([
          Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] } }),
        ]),
        // 67f7725c-…: CloudFront's managed SecurityHeadersPolicy.
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03',
        }),
      }),
    });
  });
});

describe('operations', () => {
  it('an alarm on the depth of every dead-letter queue', () => {
    const queues = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    // The fan-out's, one per route, and the unrecordable decider failures'.
    expect(queues).toHaveLength(2 + topology.length);
    for (const queue of queues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('an alarm on the errors of every function', () => {
    for (const fn of Object.keys(ownFunctions())) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
        Threshold: 1,
      });
    }
  });

  it('outputs the GraphQL URL and the homepage URL', () => {
    template.hasOutput('GraphQLUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/graphql$')])] },
    });
    template.hasOutput('HomepageUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/'])] } });
  });
});
