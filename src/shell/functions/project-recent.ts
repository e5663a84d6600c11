/**
 * The project-recent function, on the read-model table's stream (filtered to changes of
 * destination views, keys only). A batch of N changes is one fold and one write of the
 * recent-destinations list. A failure throws, so the platform retries the batch.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DESTINATION_KEY_PREFIX } from '../../topology/topology.js';
import { type ProjectRecentDependencies, runProjectRecent } from '../flows/project-recent.js';

export const PROJECT_RECENT = 'project-recent';

export function createProjectRecentFunction(
  deps: ProjectRecentDependencies,
): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    const ids = (event.Records ?? [])
      .map((record) => record.dynamodb?.Keys?.['pk']?.S ?? '')
      .filter((key) => key.startsWith(DESTINATION_KEY_PREFIX))
      .map((key) => key.slice(DESTINATION_KEY_PREFIX.length));
    try {
      await runProjectRecent(deps, ids);
      return { batchItemFailures: [] };
    } catch (error) {
      deps.log.error('recent destinations not projected; the batch will be retried', { changes: ids.length, error });
      throw error;
    }
  };
}
