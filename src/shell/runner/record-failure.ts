import type { ProposeDestination } from '../../domain/messages.js';
import { failCommand } from '../../handlers/decide.js';
import { carryOut } from './carry-out.js';
import type { RunnerDependencies } from './dependencies.js';
import { notify } from './notify.js';

/**
 * Records that a command could not be decided within its retries (CommandFailed), unless it
 * was decided after all (that outcome stands). Returns whether it recorded. `tell`: also tell
 * a waiting caller (the local stack does; on AWS the caller was told at the first failure).
 */
export async function recordCommandFailure(
  deps: RunnerDependencies,
  command: ProposeDestination,
  handler: string,
  reason: string,
  { tell }: { readonly tell: boolean },
): Promise<boolean> {
  const decision = failCommand(command, handler, reason, deps.clock());
  for (const write of decision.writes) if ((await carryOut(handler, write, deps)) === 'conflict') return false;
  deps.log.error('command failed permanently', { correlationId: command.correlationId, handler, reason });
  if (tell) for (const answer of decision.answers) await notify(deps, answer);
  return true;
}
