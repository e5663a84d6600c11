import type { Command, CommandOutcome } from '../domain/messages.js';
import type { Problem } from '../domain/problems.js';

export type CommandState = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'FAILED';

export interface CommandStatusView {
  readonly correlationId: string;
  readonly state: CommandState;
  readonly destinationId: string | null;
  readonly problems: readonly Problem[] | null;
  readonly reason: string | null;
}

export function commandStatusView(command: Command, outcome: CommandOutcome | null): CommandStatusView {
  const view = { correlationId: command.correlationId, destinationId: null, problems: null, reason: null };
  if (!outcome) return { ...view, state: 'PENDING' };
  switch (outcome.type) {
    case 'CommandAccepted':
      return { ...view, state: 'ACCEPTED', destinationId: outcome.data.destinationId };
    case 'CommandRejected':
      return { ...view, state: 'REJECTED', problems: outcome.data.problems };
    case 'CommandFailed':
      return { ...view, state: 'FAILED', reason: `${outcome.data.handler}: ${outcome.data.reason}` };
    default: {
      const unknown: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unknown)}`);
    }
  }
}
