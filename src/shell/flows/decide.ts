import { answerAgain, answerFor, commandFailed, decide } from '../../handlers/decide.js';
import type { ProposeDestination } from '../../domain/messages.js';
import type { AppendUnit } from '../../ports/index.js';
import { appendOnce } from './append-once.js';
import { type FlowDependencies, notify } from './dependencies.js';

/**
 * decide → append event, outcome and the destination's first view in one transaction →
 * notify. The append is the look-up: a redelivered command finds its outcome's position
 * taken, and its stored answer is told again.
 */
export async function runDecide(deps: FlowDependencies, command: ProposeDestination): Promise<void> {
  const { correlationId } = command;
  const decision = decide(command, deps.clock());
  const unit: AppendUnit =
    decision.kind === 'accepted'
      ? {
          records: [decision.event, decision.outcome],
          destinations: [{ destination: decision.destination, previousVersion: 0 }],
        }
      : { records: [decision.outcome] };
  const [appended] = await deps.eventStore.appendUnits([unit]);
  if (appended === 'conflict') {
    deps.log.info('command already decided; its answer is told again', { correlationId });
    await tellStoredAnswer(deps, command);
    return;
  }
  deps.log.info(decision.kind === 'accepted' ? 'proposal accepted' : 'proposal rejected', {
    correlationId,
    ...(decision.kind === 'accepted'
      ? { destinationId: decision.event.data.destinationId }
      : { problems: decision.outcome.data.problems }),
  });
  await notify(deps, answerFor(decision));
}

async function tellStoredAnswer(deps: FlowDependencies, command: ProposeDestination): Promise<void> {
  const outcome = await deps.eventStore.readOutcome(command.correlationId);
  if (!outcome) return;
  const destination =
    outcome.type === 'CommandAccepted' ? await deps.readModels.getDestination(outcome.data.destinationId) : null;
  const answer = answerAgain(outcome, destination);
  if (answer) await notify(deps, answer);
}

/** Records that a command could not be decided after its retries, and tells any waiting caller. */
export async function recordCommandFailure(
  deps: FlowDependencies,
  command: ProposeDestination,
  handler: string,
  reason: string,
): Promise<void> {
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
