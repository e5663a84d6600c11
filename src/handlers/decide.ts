/**
 * decide: ProposeDestination → DestinationProposed (plus CommandAccepted), or
 * CommandRejected with every problem found. Pure: the shell passes the command,
 * whether it was already decided, and the time.
 */
import type { CommandAccepted, CommandFailed, CommandRejected, DestinationProposed, ProposeDestination } from '../domain/messages.js';
import type { Problem } from '../domain/problems.js';
import { derivedEventId, destinationStreamId, OUTCOME_VERSION } from '../domain/streams.js';

export const MAX_NAME_LENGTH = 100;

export interface DecideState {
  /** True when the command's stream already holds an outcome (a redelivery). */
  readonly alreadyDecided: boolean;
}

export type Decision =
  | { readonly kind: 'accepted'; readonly event: DestinationProposed; readonly outcome: CommandAccepted }
  | { readonly kind: 'rejected'; readonly outcome: CommandRejected }
  | { readonly kind: 'already-decided' };

// C0 and C1 controls, DEL, the line/paragraph separators that break single-line display,
// and the bidirectional overrides and isolates that make text display in another order
// than it is stored ("Trojan Source" spoofing). Right-to-left letters themselves are fine.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export function validateProposal(input: { name: string; latitude: number; longitude: number }): Problem[] {
  const problems: Problem[] = [];
  const name = input.name.trim();
  if (name.length === 0) problems.push({ field: 'name', code: 'REQUIRED', message: 'Give the destination a name.' });
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  if ([...name].length > MAX_NAME_LENGTH)
    problems.push({ field: 'name', code: 'TOO_LONG', message: `The name must be at most ${MAX_NAME_LENGTH} characters.` });
  if (CONTROL_CHARACTERS.test(input.name))
    problems.push({ field: 'name', code: 'CONTROL_CHARACTERS', message: 'The name must not contain control characters such as tabs or line breaks.' });
  problems.push(...coordinateProblems('latitude', input.latitude, 90), ...coordinateProblems('longitude', input.longitude, 180));
  return problems;
}

function coordinateProblems(field: 'latitude' | 'longitude', value: number, bound: number): Problem[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) return [{ field, code: 'NOT_A_NUMBER', message: `The ${field} must be a finite number.` }];
  if (value < -bound || value > bound) return [{ field, code: 'OUT_OF_RANGE', message: `The ${field} must be between -${bound} and ${bound}.` }];
  return [];
}

export function decide(command: ProposeDestination, state: DecideState, now: string): Decision {
  if (state.alreadyDecided) return { kind: 'already-decided' };
  const meta = (type: string) => ({
    eventId: derivedEventId(command.eventId, type),
    correlationId: command.correlationId,
    causationId: command.eventId,
    time: now,
  });
  const outcomeStream = { streamId: command.streamId, version: OUTCOME_VERSION, kind: 'outcome' } as const;

  const problems = validateProposal(command.data);
  if (problems.length > 0) {
    return { kind: 'rejected', outcome: { ...outcomeStream, ...meta('CommandRejected'), type: 'CommandRejected', data: { problems } } };
  }
  const { destinationId, latitude, longitude } = command.data;
  return {
    kind: 'accepted',
    event: {
      streamId: destinationStreamId(destinationId),
      version: 1,
      kind: 'event',
      type: 'DestinationProposed',
      ...meta('DestinationProposed'),
      data: { destinationId, name: command.data.name.trim(), latitude, longitude },
    },
    outcome: { ...outcomeStream, ...meta('CommandAccepted'), type: 'CommandAccepted', data: { destinationId } },
  };
}

/** The outcome of a command that could not be decided within its retries. */
export function commandFailed(command: ProposeDestination, handler: string, reason: string, now: string): CommandFailed {
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
