import type { AnyRecord } from '../../domain/messages.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { EventStore } from '../../ports/index.js';

/**
 * Appends records whose ids and positions are derived from their cause. Returns false
 * when a position is already taken: another delivery of the same cause appended the
 * equivalent records first, which under at-least-once delivery is success, not an error.
 */
export async function appendOnce(eventStore: EventStore, records: readonly AnyRecord[]): Promise<boolean> {
  try {
    await eventStore.appendAtomically(records);
    return true;
  } catch (error) {
    if (error instanceof ExpectedVersionConflictError) return false;
    throw error;
  }
}
