/** CloudFront invalidations through `@aws-sdk/client-cloudfront` (a global API: region us-east-1). */
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { CdnInvalidator, InvalidationRequest } from '../../ports/index.js';

export function createCloudFrontInvalidator({
  client,
  distributionId,
}: {
  client: CloudFrontClient;
  distributionId: string;
}): CdnInvalidator {
  return {
    async invalidate({ callerReference, paths }: InvalidationRequest) {
      const { Invalidation } = await client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
        }),
      );
      return Invalidation?.Id ?? '';
    },
  };
}
