/** CloudFront invalidations through `@aws-sdk/client-cloudfront` (a global API: region us-east-1). */
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { CdnInvalidator, InvalidationRequest } from '../../ports/index.js';

export function createCloudFrontInvalidator({ client }: { client: CloudFrontClient }): CdnInvalidator {
  return {
    async invalidate(request: InvalidationRequest) {
      const { Invalidation } = await client.send(
        new CreateInvalidationCommand({
          DistributionId: request.DistributionId,
          InvalidationBatch: {
            CallerReference: request.InvalidationBatch.CallerReference,
            Paths: {
              Quantity: request.InvalidationBatch.Paths.Quantity,
              Items: [...request.InvalidationBatch.Paths.Items],
            },
          },
        }),
      );
      return Invalidation?.Id ?? '';
    },
  };
}
