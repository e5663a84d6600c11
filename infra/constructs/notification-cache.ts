/**
 * ElastiCache Serverless (Valkey): the notification channel between the handlers and
 * the waiting mutation. Serverless caches always use TLS and always run in cluster
 * mode, hence `rediss://` and REDIS_MODE=cluster (sharded pub/sub) for its clients.
 */
import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import { CfnServerlessCache, type CfnServerlessCacheProps } from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { Network } from './network.js';

/**
 * The properties whose change makes CloudFormation replace a serverless cache (create the new
 * one, then delete the old). The name must not be among them.
 */
const REPLACING = ['engine', 'kmsKeyId', 'snapshotArnsToRestore', 'subnetIds', 'networkType'] as const;

/**
 * CloudFormation requires a serverless cache's name and, on replacement, creates the new cache
 * before it deletes the old one, so a fixed name fails the update ("already exists"). This name
 * is unique to this construct and changes with every property that forces a replacement: a
 * replacement always brings a new name, any other update keeps it. (Clients are never configured
 * by name: they get the endpoint.)
 */
export function serverlessCacheName(
  scope: Construct,
  props: Omit<CfnServerlessCacheProps, 'serverlessCacheName'>,
): string {
  const stack = Stack.of(scope);
  const replacing = Object.fromEntries(REPLACING.map((key) => [key, stack.resolve(props[key]) ?? null]));
  const digest = createHash('sha256').update(scope.node.addr).update(JSON.stringify(replacing)).digest('hex');
  return `visitplannr-notify-${digest.slice(0, 12)}`;
}

export class NotificationCache extends Construct {
  readonly cache: CfnServerlessCache;
  /** The environment a function needs to reach it. */
  readonly clientEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, network: Network) {
    super(scope, id);
    const props = {
      engine: 'valkey',
      majorEngineVersion: '8',
      description: 'visitplannr command notifications (sharded pub/sub)',
      subnetIds: network.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [network.cacheSecurityGroup.securityGroupId],
      // Notifications are tiny and short-lived: cap the spend, not the function.
      cacheUsageLimits: { dataStorage: { maximum: 1, unit: 'GB' }, ecpuPerSecond: { maximum: 5000 } },
    };
    this.cache = new CfnServerlessCache(this, 'Cache', {
      ...props,
      serverlessCacheName: serverlessCacheName(this, props),
    });
    this.clientEnvironment = {
      REDIS_URL: `rediss://${this.cache.attrEndpointAddress}:${this.cache.attrEndpointPort}`,
      REDIS_MODE: 'cluster',
    };
  }
}
