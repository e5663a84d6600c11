import { commandFailed, decide } from '../../handlers/decide.js';
import type { ProposeDestination } from '../../domain/messages.js';
import { appendOnce } from './append-once.js';
import { type FlowDependencies, notify } from './dependencies.js';

/** look up → decide → append event and outcome atomically → notify a rejection. */
export async function runDecide(deps: FlowDependencies, command: ProposeDestination): Promise<void> {
  const { correlationId } = command;
  // 1. Look up: has this command been decided already (a redelivery)?
  const existing = await deps.eventStore.readOutcome(correlationId);
  // 2. Decide.
  const decision = decide(command, { alreadyDecided: existing !== null }, deps.clock());
  if (decision.kind === 'already-decided') {
    deps.log.info('command already decided; redelivery ignored', { correlationId, outcome: existing?.type });
    if (existing?.type === 'CommandRejected') await notify(deps, { type: 'Rejected', correlationId, problems: existing.data.problems });
    return;
  }
  // 3. Append the decision and the command's outcome in one transaction.
  const records = decision.kind === 'accepted' ? [decision.event, decision.outcome] : [decision.outcome];
  if (!(await appendOnce(deps.eventStore, records))) {
    deps.log.info('command decided concurrently by another delivery', { correlationId });
    return;
  }
  deps.log.info(decision.kind === 'accepted' ? 'proposal accepted' : 'proposal rejected', {
    correlationId,
    ...(decision.kind === 'accepted' ? { destinationId: decision.event.data.destinationId } : { problems: decision.outcome.data.problems }),
  });
  // 4. Notify: an accepted proposal is announced by the projection, a rejection here.
  if (decision.kind === 'rejected') await notify(deps, { type: 'Rejected', correlationId, problems: decision.outcome.data.problems });
}

/** Records that a command could not be decided after its retries, and tells any waiting caller. */
export async function recordCommandFailure(deps: FlowDependencies, command: ProposeDestination, handler: string, reason: string): Promise<void> {
  if (!(await appendCommandFailure(deps, command, handler, reason))) return;
  await notify(deps, { type: 'HandlerFailed', correlationId: command.correlationId, handler, message: reason });
}

/**
 * The durable half of recordCommandFailure: appends CommandFailed unless the command was
 * decided after all (that outcome stands). Returns whether it appended.
 */
export async function appendCommandFailure(
  deps: Pick<FlowDependencies, 'eventStore' | 'clock' | 'log'>,
  command: ProposeDestination,
  handler: string,
  reason: string,
): Promise<boolean> {
  const recorded = await appendOnce(deps.eventStore, [commandFailed(command, handler, reason, deps.clock())]);
  if (recorded) deps.log.error('command failed permanently', { correlationId: command.correlationId, handler, reason });
  return recorded;
}
