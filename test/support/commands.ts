import type {
  CommandAccepted,
  CommandFailed,
  CommandOutcome,
  CommandRejected,
  ProposeDestination,
} from '../../src/domain/messages.js';
import { derivedEventId, OUTCOME_VERSION } from '../../src/domain/streams.js';
import { buildCommand, type ProposalInput } from '../../src/resolvers/propose-destination.js';
import { at } from './destinations.js';

/** The test day's clock: the time fixture records carry unless a test says otherwise. */
export const NOW = at(0);

/** A valid proposal (Lisbon, on land), with overrides. */
export const proposal = (overrides: Partial<ProposalInput> = {}): ProposalInput => ({
  name: 'Lisbon',
  latitude: 38.72,
  longitude: -9.14,
  ...overrides,
});

/**
 * The ProposeDestination command the API writes for a proposal (Lisbon unless overridden),
 * under `correlationId`, at NOW unless told: the one way tests make commands, so they carry
 * what the API's own commands carry.
 */
export const proposeCommand = (
  correlationId: string,
  overrides: Partial<ProposalInput> = {},
  time: string = NOW,
): ProposeDestination => buildCommand(proposal(overrides), correlationId, time);

type OutcomeData<T extends CommandOutcome['type']> = Extract<CommandOutcome, { type: T }>['data'];

/** The outcome record of `command`, second in its stream as the decider writes it. */
export function outcomeOf<T extends CommandOutcome['type']>(
  command: ProposeDestination,
  type: T,
  data: OutcomeData<T>,
  time: string = NOW,
): Extract<CommandOutcome, { type: T }> {
  const outcome = {
    streamId: command.streamId,
    version: OUTCOME_VERSION,
    kind: 'outcome',
    type,
    eventId: derivedEventId(command.eventId, type),
    correlationId: command.correlationId,
    causationId: command.eventId,
    time,
    data,
  } as CommandAccepted | CommandRejected | CommandFailed;
  return outcome as Extract<CommandOutcome, { type: T }>;
}
