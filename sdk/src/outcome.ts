/** Following a CommandPending answer to its outcome by polling `commandStatus`. */
import { CommandFailedError, DeadlineError } from './errors.js';
import type { CommandStatusQuery, ProposeDestinationMutation, WaitFor } from './generated/operations.js';
import { CommandStatusDocument, DestinationDocument } from './generated/strings.js';
import type { GraphQLRequest } from './transport.js';

/** The mutation's answer: `DestinationProposed`, `ProposalRejected` or `CommandPending`, told apart by `__typename`. */
export type ProposeDestinationResult = ProposeDestinationMutation['proposeDestination'];
/** A proposal's resolved outcome: never CommandPending. */
export type ProposalOutcome = Exclude<ProposeDestinationResult, { __typename: 'CommandPending' }>;

/** How long to follow a `CommandPending` answer with `commandStatus`. */
export interface WaitForOutcome {
  /** Total budget in ms, counted from the start of the proposeDestination call. */
  readonly deadlineMs: number;
  /** The first pause before asking commandStatus; doubles each time (default 100). */
  readonly initialDelayMs?: number;
}

const MAX_DELAY_MS = 2000;

export async function followOutcome(
  request: GraphQLRequest,
  correlationId: string,
  waitFor: WaitFor | null | undefined,
  options: WaitForOutcome,
  startedAt: number,
): Promise<ProposalOutcome> {
  const deadline = startedAt + options.deadlineMs;
  let delay = options.initialDelayMs ?? 100;
  for (;;) {
    // Always ask at least once, even when the mutation itself used up the budget.
    await sleep(Math.max(0, Math.min(delay, deadline - Date.now())));
    const { commandStatus } = await request(CommandStatusDocument, { correlationId });
    const outcome = await resolve(request, correlationId, commandStatus, waitFor);
    if (outcome) return outcome;
    if (Date.now() >= deadline) throw new DeadlineError(correlationId, options.deadlineMs);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** The outcome as the mutation would have answered it, or undefined while it is not known yet. */
async function resolve(
  request: GraphQLRequest,
  correlationId: string,
  status: CommandStatusQuery['commandStatus'],
  waitFor: WaitFor | null | undefined,
): Promise<ProposalOutcome | undefined> {
  switch (status?.state) {
    case 'REJECTED':
      return { __typename: 'ProposalRejected', correlationId, problems: status.problems ?? [] };
    case 'FAILED':
      throw new CommandFailedError(correlationId, status.reason);
    case 'ACCEPTED': {
      if (!status.destinationId) return undefined;
      const { destination } = await request(DestinationDocument, { id: status.destinationId });
      // Accepted is decided before it is projected: wait for the step the caller asked for.
      if (!destination || (waitFor === 'LOCATION_CHECKED' && destination.status === 'PROPOSED')) return undefined;
      return { __typename: 'DestinationProposed', correlationId, destination };
    }
    default:
      return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
