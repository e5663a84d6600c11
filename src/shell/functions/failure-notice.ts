import type { AnyRecord } from '../../domain/messages.js';
import { type FlowDependencies, notify } from '../flows/dependencies.js';

/**
 * A handler that throws tells the waiting caller at once (a typed error, not a hang),
 * then rethrows so the platform's retry path still runs.
 */
export async function reportFailure(
  deps: FlowDependencies,
  handler: string,
  record: AnyRecord,
  error: unknown,
): Promise<never> {
  deps.log.error('handler failed; the record goes to the retry path', {
    correlationId: record.correlationId,
    handler,
    recordType: record.type,
    error,
  });
  await notify(deps, {
    type: 'HandlerFailed',
    correlationId: record.correlationId,
    handler,
    message: 'processing failed',
  });
  throw error;
}
