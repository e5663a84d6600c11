/**
 * ElastiCache Serverless (Valkey): the notification channel between the handlers and
 * the waiting mutation. Serverless caches always use TLS and always run in cluster
 * mode, hence `rediss://` and REDIS_MODE=cluster (sharded pub/sub) for its clients.
 */
import { CfnServerlessCache } from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { Network } from './network.js';

export class NotificationCache extends Construct {
  readonly cache: CfnServerlessCache;
  /** The environment a function needs to reach it. */
  readonly clientEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, network: Network) {
    super(scope, id);
    this.cache = new CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: `${id.toLowerCase()}-${network.node.addr.slice(0, 8)}`,
      engine: 'valkey',
      majorEngineVersion: '8',
      description: 'visitplannr command notifications (sharded pub/sub)',
      subnetIds: network.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [network.cacheSecurityGroup.securityGroupId],
      // Notifications are tiny and short-lived: cap the spend, not the function.
      cacheUsageLimits: { dataStorage: { maximum: 1, unit: 'GB' }, ecpuPerSecond: { maximum: 5000 } },
    });
    this.clientEnvironment = {
      REDIS_URL: `rediss://${this.cache.attrEndpointAddress}:${this.cache.attrEndpointPort}`,
      REDIS_MODE: 'cluster',
    };
  }
}
