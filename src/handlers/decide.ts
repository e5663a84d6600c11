/**
 * decide: ProposeDestination → DestinationProposed (plus CommandAccepted and the
 * destination's first view, written in the same transaction), or CommandRejected with
 * every problem found. A command is assumed undecided, without a read: the append is
 * conditional on the outcome's position being free, so a redelivery conflicts there, and
 * is answered from the outcome the first delivery stored.
 */
import { type Destination, evolve } from '../domain/destination.js';
import type {
  AnyRecord,
  CommandAccepted,
  CommandFailed,
  CommandOutcome,
  CommandRejected,
  DestinationProposed,
  ProposeDestination,
} from '../domain/messages.js';
import { type Notification, projected } from '../domain/notifications.js';
import type { Problem } from '../domain/problems.js';
import { derivedEventId, destinationStreamId, OUTCOME_VERSION } from '../domain/streams.js';
import { type Decision, type Handler, nothingToDo } from './handler.js';

export const MAX_NAME_LENGTH = 100;

export type ProposalDecision =
  | {
      readonly kind: 'accepted';
      readonly event: DestinationProposed;
      readonly outcome: CommandAccepted;
      readonly destination: Destination;
    }
  | { readonly kind: 'rejected'; readonly outcome: CommandRejected };

// C0 and C1 controls, DEL, the line/paragraph separators that break single-line display,
// and the bidirectional overrides and isolates that make text display in another order
// than it is stored ("Trojan Source" spoofing). Right-to-left letters themselves are fine.
// eslint-disable-next-line no-control-regex -- matching control characters is this class's purpose
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export function validateProposal(input: { name: string; latitude: number; longitude: number }): Problem[] {
  const problems: Problem[] = [];
  const name = input.name.trim();
  if (name.length === 0) problems.push({ field: 'name', code: 'REQUIRED', message: 'Give the destination a name.' });
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  if ([...name].length > MAX_NAME_LENGTH)
    problems.push({
      field: 'name',
      code: 'TOO_LONG',
      message: `The name must be at most ${MAX_NAME_LENGTH} characters.`,
    });
  if (CONTROL_CHARACTERS.test(input.name))
    problems.push({
      field: 'name',
      code: 'CONTROL_CHARACTERS',
      message: 'The name must not contain control characters such as tabs or line breaks.',
    });
  problems.push(
    ...coordinateProblems('latitude', input.latitude, 90),
    ...coordinateProblems('longitude', input.longitude, 180),
  );
  return problems;
}

function coordinateProblems(field: 'latitude' | 'longitude', value: number, bound: number): Problem[] {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return [{ field, code: 'NOT_A_NUMBER', message: `The ${field} must be a finite number.` }];
  if (value < -bound || value > bound)
    return [{ field, code: 'OUT_OF_RANGE', message: `The ${field} must be between -${bound} and ${bound}.` }];
  return [];
}

export function decideProposal(command: ProposeDestination, now: string): ProposalDecision {
  const meta = (type: string) => ({
    eventId: derivedEventId(command.eventId, type),
    correlationId: command.correlationId,
    causationId: command.eventId,
    time: now,
  });
  const outcomeStream = { streamId: command.streamId, version: OUTCOME_VERSION, kind: 'outcome' } as const;

  const problems = validateProposal(command.data);
  if (problems.length > 0) {
    return {
      kind: 'rejected',
      outcome: { ...outcomeStream, ...meta('CommandRejected'), type: 'CommandRejected', data: { problems } },
    };
  }
  const { destinationId, latitude, longitude } = command.data;
  const event: DestinationProposed = {
    streamId: destinationStreamId(destinationId),
    version: 1,
    kind: 'event',
    type: 'DestinationProposed',
    ...meta('DestinationProposed'),
    data: { destinationId, name: command.data.name.trim(), latitude, longitude },
  };
  return {
    kind: 'accepted',
    event,
    outcome: { ...outcomeStream, ...meta('CommandAccepted'), type: 'CommandAccepted', data: { destinationId } },
    destination: evolve(null, event),
  };
}

/** The outcome of a command that could not be decided within its retries. */
export function commandFailed(
  command: ProposeDestination,
  handler: string,
  reason: string,
  now: string,
): CommandFailed {
  return {
    streamId: command.streamId,
    version: OUTCOME_VERSION,
    kind: 'outcome',
    type: 'CommandFailed',
    eventId: derivedEventId(command.eventId, 'CommandFailed'),
    correlationId: command.correlationId,
    causationId: command.eventId,
    time: now,
    data: { handler, reason },
  };
}

/** What a caller waiting on a command is told: its decision, as stored. */
export function answerFor(decision: ProposalDecision): Notification {
  return decision.kind === 'accepted'
    ? projected(decision.outcome.correlationId, decision.destination)
    : { type: 'Rejected', correlationId: decision.outcome.correlationId, problems: decision.outcome.data.problems };
}

/**
 * A redelivered command was decided by an earlier delivery, which may have stopped before
 * notifying: the stored outcome (and the destination's view, when accepted) is told again.
 * Null when there is nothing to tell: a failed command's caller was told when it failed.
 */
export function answerAgain(outcome: CommandOutcome, destination: Destination | null): Notification | null {
  switch (outcome.type) {
    case 'CommandAccepted':
      return destination ? projected(outcome.correlationId, destination) : null;
    case 'CommandRejected':
      return { type: 'Rejected', correlationId: outcome.correlationId, problems: outcome.data.problems };
    case 'CommandFailed':
      return null;
    default: {
      const unknown: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unknown)}`);
    }
  }
}

const isProposeDestination = (record: AnyRecord): record is ProposeDestination => record.type === 'ProposeDestination';

export const decide: Handler<AnyRecord, ProposeDestination, 'outcome' | 'destination'> = {
  name: 'decide',
  inputs: (records) => records.filter(isProposeDestination),
  lookUp: (command) => ({ outcome: command.correlationId, destination: command.data.destinationId }),
  assume: () => ({ outcome: null, destination: null }),
  decide(command, { outcome, destination }, now): Decision {
    if (outcome) {
      const answer = answerAgain(outcome, destination);
      return answer ? { writes: [], answers: [answer] } : nothingToDo;
    }
    const decision = decideProposal(command, now);
    const unit =
      decision.kind === 'accepted'
        ? {
            records: [decision.event, decision.outcome],
            destinations: [{ destination: decision.destination, previousVersion: 0 }],
          }
        : { records: [decision.outcome] };
    return { writes: [{ kind: 'append', unit }], answers: [answerFor(decision)] };
  },
};

/** The decision that records a command as FAILED once it could not be decided within its retries. */
export function failCommand(command: ProposeDestination, handler: string, reason: string, now: string): Decision {
  return {
    writes: [{ kind: 'append', unit: { records: [commandFailed(command, handler, reason, now)] } }],
    answers: [{ type: 'HandlerFailed', correlationId: command.correlationId, handler, message: reason }],
  };
}
