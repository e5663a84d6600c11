import type { DynamoDBRecord } from 'aws-lambda';
import { fromStreamImage } from '../src/shell/dynamodb/record-codec.js';
import type { RunnerDependencies } from '../src/shell/runner/dependencies.js';
import { recordCommandFailure } from '../src/shell/runner/record-failure.js';
import { sleep } from '../src/shell/runtime/deadline.js';

const FAILURE_RECORD_ATTEMPTS = 6;
const FAILURE_RECORD_BACKOFF_MS = 100;

/**
 * What AWS's decide-failures function does from the decider's on-failure queue, in process:
 * each command of a given-up batch recorded FAILED (and its caller told), each write retried
 * until it lands (bounded).
 */
export async function recordFailedCommands(
  deps: RunnerDependencies,
  handler: string,
  records: readonly DynamoDBRecord[],
  reason: string,
): Promise<void> {
  for (const streamRecord of records) {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image) continue;
    const record = fromStreamImage(image as never);
    if (record.kind !== 'command') continue;
    for (let attempt = 1; ; attempt++) {
      try {
        await recordCommandFailure(deps, record, handler, reason, { tell: true });
        break;
      } catch (failure) {
        if (attempt >= FAILURE_RECORD_ATTEMPTS) throw failure;
        deps.log.warn('recording a failed command failed; trying again', {
          correlationId: record.correlationId,
          attempt,
          error: failure,
        });
        await sleep(FAILURE_RECORD_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }
}
