/**
 * The homepage's static objects (its script and styles, built by the same code the
 * local stack uploads them with), deployed into the site bucket beside the page the
 * renderer writes. `prune: false`: the deployment must never delete `index.html`.
 */
import { type CfnElement, DefaultStackSynthesizer, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { SiteObject } from '../../src/ports/index.js';
import { acceptFinding, acceptFindingOnCdkSingletons } from '../nag.js';

export class SiteAssets extends Construct {
  readonly deployments: BucketDeployment[];
  /** The role of CDK's deploy-time copy function. */
  readonly role: Role;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly bucket: IBucket; readonly objects: readonly SiteObject[] },
  ) {
    super(scope, id);
    // One role and log group for CDK's deploy-time copy function, instead of its defaults (a
    // managed policy, no retention).
    const role = (this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the homepage assets into the site bucket at deploy time',
    }));
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    // One deployment per object: each carries its own content type and cache control.
    this.deployments = props.objects.map(
      (object) =>
        new BucketDeployment(this, object.key.replace(/[^A-Za-z0-9]/g, ''), {
          sources: [Source.data(object.key, object.body)],
          destinationBucket: props.bucket,
          prune: false,
          contentType: object.contentType,
          cacheControl: [CacheControl.fromString(object.cacheControl)],
          role,
          logGroup,
        }),
    );
    const reason =
      'CDK grants its deploy-time copy function (BucketDeployment) read on the asset staging bucket and read/write on the site bucket, with its own wildcards; it runs only while CloudFormation deploys, copies only these objects (prune is off), and CDK offers no narrower grant.';
    const stack = Stack.of(this);
    const siteBucket = stack.getLogicalId(props.bucket.node.defaultChild as CfnElement);
    const staging = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
    for (const finding of [
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      `Resource::<${siteBucket}.Arn>/*`,
      `Resource::${staging}`,
    ]) {
      acceptFinding(role, `AwsSolutions-IAM5[${finding}]`, reason);
    }
    // The copy function itself is a stack-level singleton CDK creates (Custom::CDKBucketDeployment…).
    acceptFindingOnCdkSingletons(
      this,
      'Custom::CDKBucketDeployment',
      'AwsSolutions-L1',
      "CDK's own deploy-time copy function for BucketDeployment; its runtime is chosen by the CDK version, not by this app, and it never serves traffic.",
    );
  }
}
