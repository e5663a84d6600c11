/**
 * The render-homepage function, on the read-model table's stream (filtered to changes of
 * the recent-destinations item). A batch of N changes is one render: the page is built
 * from the projection as it is when the function runs, not from the records. A failure
 * throws, so the platform retries the batch (and, with it, the render).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type RenderHomepageDependencies, runRenderHomepage } from '../flows/render-homepage.js';

export const RENDER_HOMEPAGE = 'render-homepage';

export function createRenderHomepageFunction(
  deps: RenderHomepageDependencies,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    // No records: the deployment's first render (an invocation with an empty payload); it renders the projection all the same.
    const changes = event.Records?.length ?? 0;
    try {
      const outcome = await runRenderHomepage(deps);
      deps.log.debug('rendered', { changes, ...outcome });
      return { batchItemFailures: [] };
    } catch (error) {
      deps.log.error('homepage render failed; the batch will be retried', { changes, error });
      throw error;
    }
  };
}
