/**
 * The homepage: a private, encrypted, TLS-only bucket that only CloudFront can read
 * (Origin Access Control), and the distribution in front of it. Access logs of both go
 * to a separate bucket.
 *
 * The invalidation function needs the distribution's id, the distribution needs the
 * bucket (its origin), and the bucket's policy needs the distribution (OAC). Were the
 * object-created notification a property of the bucket, the bucket would also need the
 * function: bucket → function → distribution → bucket, a cycle CloudFormation refuses.
 * So the notification is its own resource (CDK's Custom::S3BucketNotifications), applied
 * after all three exist, and the id reaches the function as a plain environment variable.
 *
 * `/graphql` on the same distribution is the API (serveApi): the page posts to its own
 * origin, so it needs no CORS, and CloudFront vouches for its visitors with a secret header.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IDependable } from 'constructs';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { API_PATH } from '../../src/site/assets.js';
import { FORWARDED_VIEWER_HEADERS, ORIGIN_SECRET_HEADER } from '../../src/shell/edge/site-origin.js';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acceptFinding, acceptFindingOnCdkSingletons } from '../nag.js';

export class Site extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;
  readonly origin: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      // Kept when the stack goes: the logs are the only record of who fetched the site and through
      // the CDN, which an investigation may need after a teardown, and nothing can rebuild them. The
      // bucket empties itself (90-day expiry), and a new stack gets a new, generated bucket name.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // Every render leaves the previous page as a noncurrent version: keep a month of them, not all of them.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // The pages are rendered from the read models and the assets come from this repository: a new
      // stack renders and deploys them again. Emptied (every version) on delete, so `cdk destroy` can remove it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acceptFindingOnCdkSingletons(
      this,
      'Custom::S3AutoDeleteObjects',
      'AwsSolutions-L1',
      "CDK's own function that empties the site bucket when the stack is deleted; its runtime is chosen by the CDK version, not by this app, and it never serves traffic.",
    );
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'visitplannr homepage',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        // HSTS, nosniff, frame denial, referrer policy, XSS protection.
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
    });
    acceptFinding(
      this.distribution,
      'AwsSolutions-CFR1',
      'A public homepage of a trip planner: there is no audience to exclude by country.',
    );
    acceptFinding(
      this.distribution,
      'AwsSolutions-CFR2',
      'Read-only, cached pages from a private bucket (GET/HEAD only): a WAF web ACL ($5/month plus $1 per rule) would guard nothing writable. The writable API has its own throttling.',
    );
    acceptFinding(
      this.distribution,
      'AwsSolutions-CFR4',
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose viewer security policy CloudFront fixes at TLSv1 and CDK cannot raise; attaching a domain with an ACM certificate lets minimumProtocolVersion be set to TLSv1.2_2021.',
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
  }

  /**
   * Serves the API at `/graphql` on this distribution: never cached, every method GraphQL
   * needs, only the viewer headers GraphQL over HTTP uses (no credentials: through the site
   * everyone is an anonymous visitor) plus the viewer's address, and the origin secret,
   * which replaces any value a viewer sends.
   *
   * `rotationOrder`: the function that checks the secret. The distribution is updated after
   * it, so in a deploy that rotates the secret (new current, old previous) the function
   * accepts both before CloudFront starts sending the new one.
   */
  serveApi(api: { readonly domainName: string }, originSecret: string, rotationOrder: IDependable): void {
    const requests = new OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'visitplannr /graphql: what GraphQL over HTTP needs, and the viewer address for the proposal budget',
      headerBehavior: OriginRequestHeaderBehavior.allowList(...FORWARDED_VIEWER_HEADERS, 'CloudFront-Viewer-Address'),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    this.distribution.addBehavior(
      API_PATH,
      new HttpOrigin(api.domainName, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        customHeaders: { [ORIGIN_SECRET_HEADER]: originSecret },
      }),
      {
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: requests,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
    );
    this.distribution.node.addDependency(rotationOrder);
  }
}
