/**
 * The write path: note when the request arrived, subscribe to its correlation channel and
 * wait for the broker's acknowledgement, stamp and write the command, then await the terminal
 * notification with a deadline. The durable command outcome answers whenever a notification
 * does not. How it answered is recorded (the answer log) for the command's journey.
 */
import type { Destination } from '../domain/destination.js';
import type { AnswerHow, RecordedAnswer } from '../domain/journey.js';
import type { ProposeDestination, WaitFor } from '../domain/messages.js';
import { isTerminalFor, type Notification } from '../domain/notifications.js';
import type { Problem } from '../domain/problems.js';
import { COMMAND_VERSION, commandStreamId, correlationIdForIdempotencyKey, derivedEventId } from '../domain/streams.js';
import {
  HandlerFailedError,
  IdempotencyKeyReusedError,
  InvalidArgumentError,
  StoreUnavailableError,
} from '../errors/index.js';
import { validateProposal } from '../handlers/decide.js';
import type { Subscription } from '../ports/index.js';
import type { GraphQLContext } from './context.js';

export interface ProposalInput {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly idempotencyKey?: string | null;
  readonly waitFor?: WaitFor | null;
}

export type ProposalResult =
  | { readonly __typename: 'DestinationProposed'; readonly correlationId: string; readonly destination: Destination }
  | { readonly __typename: 'ProposalRejected'; readonly correlationId: string; readonly problems: Problem[] }
  | { readonly __typename: 'CommandPending'; readonly correlationId: string };

/** A key is an opaque client token (a UUID fits many times over); it is stored with the command. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * The command as stored. `now` is its `time`, taken just before its conditional write (the
 * journey's COMMAND_WRITTEN); `receivedAt`, when the request reached the resolver (RECEIVED).
 */
export function buildCommand(
  input: ProposalInput,
  correlationId: string,
  now: string,
  receivedAt?: string,
): ProposeDestination {
  const eventId = derivedEventId(correlationId, 'ProposeDestination');
  return {
    streamId: commandStreamId(correlationId),
    version: COMMAND_VERSION,
    kind: 'command',
    type: 'ProposeDestination',
    eventId,
    correlationId,
    causationId: eventId,
    time: now,
    ...(receivedAt ? { receivedAt } : {}),
    data: {
      // Derived, so a retried command names the same destination.
      destinationId: derivedEventId(correlationId, 'destination'),
      name: input.name,
      latitude: input.latitude,
      longitude: input.longitude,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    },
  };
}

export async function proposeDestination(ctx: GraphQLContext, input: ProposalInput): Promise<ProposalResult> {
  const receivedAt = ctx.clock();
  if (input.idempotencyKey && input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new InvalidArgumentError(
      'idempotencyKey',
      `idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
    );
  const waitFor = input.waitFor ?? 'PROPOSED';
  const correlationId = input.idempotencyKey ? correlationIdForIdempotencyKey(input.idempotencyKey) : ctx.newId();
  // 0. Invalid input is answered at once and stores nothing, so garbage costs no writes
  // (the decider applies the same rules to every command it receives).
  const problems = validateProposal(input);
  if (problems.length > 0) {
    ctx.log.info('proposal rejected before writing', {
      correlationId,
      problems: problems.map((problem) => `${problem.field}:${problem.code}`),
    });
    return { __typename: 'ProposalRejected', correlationId, problems };
  }
  const deadlineAt = Date.now() + ctx.mutationDeadlineMs;
  const log = { correlationId, waitFor };
  const answer = (how: AnswerHow, find: () => Promise<ProposalResult | null>) =>
    answerRecorded(ctx, correlationId, how, find);

  // 1. Subscribe first, acknowledged, so no notification published after the write is missed.
  const subscription = await ctx.notifications.subscribe(correlationId).catch((error: unknown) => {
    ctx.log.warn('notifications unavailable; answering from the durable outcome', { ...log, error: String(error) });
    return null;
  });
  let written = false;
  try {
    // 2. Write the command (its time taken just before), with its creation context (the decider
    // links to it); a duplicate submission is detected by the conditional put.
    const command = buildCommand(input, correlationId, ctx.clock(), receivedAt);
    const appended = await ctx.tracing.inCommandWrite(command, (traced) => ctx.eventStore.appendCommand(traced));
    written = true;
    ctx.log.info(appended.created ? 'command written' : 'duplicate command; following the original', log);
    if (!appended.created) {
      if (!samePayload(appended.existing, command)) throw new IdempotencyKeyReusedError(correlationId);
      const known = await answer('DURABLE_OUTCOME', () => answerFromStore(ctx, correlationId, waitFor));
      if (known) return known;
    }
    // 3. Await the terminal notification, or poll the durable outcome when there is no subscription.
    const answered = subscription
      ? await answer('NOTIFICATION', () => awaitNotification(ctx, subscription, waitFor, deadlineAt))
      : await answer('DURABLE_OUTCOME', () => pollStore(ctx, correlationId, waitFor, deadlineAt));
    if (answered) return answered;
    // 4. Deadline passed: the database may know what a lost notification did not say.
    const known = await answer('DURABLE_OUTCOME', () => answerFromStore(ctx, correlationId, waitFor));
    if (known) return known;
    return await answerPending(ctx, correlationId);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    // Stored, the command goes on without this request, and a retry without a key would propose
    // again: the caller is told to follow it instead. Unstored (or unknown), the id lets it ask.
    if (written) {
      ctx.log.warn('store unavailable after the command was written; answering pending', {
        ...log,
        error: String(error),
      });
      return await answerPending(ctx, correlationId);
    }
    throw new StoreUnavailableError(error.operation, { cause: error, correlationId });
  } finally {
    await subscription?.close();
  }
}

async function answerPending(ctx: GraphQLContext, correlationId: string): Promise<ProposalResult> {
  const pending: ProposalResult = { __typename: 'CommandPending', correlationId };
  await answerRecorded(ctx, correlationId, 'PENDING', () => Promise.resolve(pending));
  return pending;
}

/**
 * Runs one way of finding the answer and, when it finds one (a HANDLER_FAILED error is one too),
 * records how in the answer log before it goes out: briefly (the log's own deadline), and never
 * at the answer's expense, since a failure to record is logged and ignored.
 */
async function answerRecorded(
  ctx: GraphQLContext,
  correlationId: string,
  how: AnswerHow,
  find: () => Promise<ProposalResult | null>,
): Promise<ProposalResult | null> {
  const record = (reflects: RecordedAnswer['reflects']) =>
    ctx.answers.record(correlationId, { at: ctx.clock(), how, reflects }).catch((error: unknown) => {
      ctx.log.warn('answer not recorded; its journey will lack ANSWERED', { correlationId, error: String(error) });
    });
  try {
    const result = await find();
    if (result) await record(stepTold(result));
    return result;
  } catch (error) {
    // Failed for good: its outcome is stored (DECIDED); still retrying: nothing is decided yet.
    if (error instanceof HandlerFailedError) await record(error.retrying ? null : 'DECIDED');
    throw error;
  }
}

const stepTold = (result: ProposalResult): RecordedAnswer['reflects'] => {
  switch (result.__typename) {
    case 'DestinationProposed':
      return result.destination.status === 'PROPOSED' ? 'DECIDED' : 'LOCATION_CHECKED';
    case 'ProposalRejected':
      return 'DECIDED';
    case 'CommandPending':
      return null;
  }
};

function samePayload(existing: ProposeDestination, command: ProposeDestination): boolean {
  const { name, latitude, longitude } = existing.data;
  return name === command.data.name && latitude === command.data.latitude && longitude === command.data.longitude;
}

async function awaitNotification(
  ctx: GraphQLContext,
  subscription: Subscription,
  waitFor: WaitFor,
  deadlineAt: number,
): Promise<ProposalResult | null> {
  for (;;) {
    const notification = await subscription.next(deadlineAt);
    if (!notification) return null;
    // The request span (active here) links to the handler's publish: the way back from decide to the answer.
    ctx.tracing.linkActiveSpan(notification.trace, { 'visitplannr.notification.type': notification.type });
    if (!isTerminalFor(notification, waitFor)) continue;
    const answer = answerFromNotification(notification, waitFor);
    if (answer) return answer;
  }
}

function answerFromNotification(notification: Notification, waitFor: WaitFor): ProposalResult | null {
  const { correlationId } = notification;
  switch (notification.type) {
    case 'Rejected':
      return { __typename: 'ProposalRejected', correlationId, problems: [...notification.problems] };
    case 'HandlerFailed':
      throw new HandlerFailedError(correlationId, notification.handler, true);
    case 'Projected':
      // The handler stored this view before it notified: answering with it is reading our own write, without the read.
      return reached(notification.destination, waitFor)
        ? { __typename: 'DestinationProposed', correlationId, destination: notification.destination }
        : null;
    default: {
      const unknown: never = notification;
      throw new Error(`unhandled notification ${JSON.stringify(unknown)}`);
    }
  }
}

async function pollStore(
  ctx: GraphQLContext,
  correlationId: string,
  waitFor: WaitFor,
  deadlineAt: number,
): Promise<ProposalResult | null> {
  while (Date.now() < deadlineAt) {
    const answer = await answerFromStore(ctx, correlationId, waitFor);
    if (answer) return answer;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(ctx.outcomePollIntervalMs, Math.max(0, deadlineAt - Date.now()))),
    );
  }
  return null;
}

/** The answer the durable state already knows, or null while it is still pending. */
async function answerFromStore(
  ctx: GraphQLContext,
  correlationId: string,
  waitFor: WaitFor,
): Promise<ProposalResult | null> {
  const outcome = await ctx.eventStore.readOutcome(correlationId);
  if (!outcome) return null;
  switch (outcome.type) {
    case 'CommandRejected':
      return { __typename: 'ProposalRejected', correlationId, problems: [...outcome.data.problems] };
    case 'CommandFailed':
      throw new HandlerFailedError(correlationId, outcome.data.handler, false);
    case 'CommandAccepted': {
      const destination = await ctx.readModels.getDestination(outcome.data.destinationId);
      return destination && reached(destination, waitFor)
        ? { __typename: 'DestinationProposed', correlationId, destination }
        : null;
    }
    default: {
      const unknown: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unknown)}`);
    }
  }
}

const reached = (destination: Destination, waitFor: WaitFor): boolean =>
  waitFor === 'PROPOSED' || destination.status !== 'PROPOSED';
