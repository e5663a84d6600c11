/**
 * The one way a handler runs, whatever delivers its messages: look up → decide → write
 * (conditionally) → tell. A write that conflicts means the state changed since it was read
 * (or assumed): another delivery of the same message, or a concurrent writer. The runner then
 * looks up the stored state and decides again, which answers a redelivery from what the first
 * delivery stored and folds a concurrent change in, instead of failing.
 */
import { type AnyHandler, correlationIdOf, type Decision } from '../../handlers/handler.js';
import { carryOut } from './carry-out.js';
import type { RunnerDependencies } from './dependencies.js';
import { lookUp } from './look-up.js';
import { notify } from './notify.js';
import { VisitplannrError } from '../../errors/index.js';
import { addLinks, type Carrier, DESTINATIONS, inConsumerSpan, type MessagingSystem } from '../telemetry/index.js';

/** Where a delivery's messages come from, as its consumer span names it. */
export interface MessageSource {
  readonly system: MessagingSystem;
  readonly destinationName: string;
  /**
   * The creation contexts of messages that do not carry their own (a read-model change is a key,
   * an S3 notification has no metadata): from the traces the first look-up found with the read
   * models it read (by item key), or read here. Asked once per input, only while its consumer
   * span records, and linked from that span.
   */
  readonly producersOf?: (
    delivered: Delivered,
  ) => readonly (Carrier | undefined)[] | Promise<readonly (Carrier | undefined)[]>;
}

/** What a source's producersOf looks at. */
export interface Delivered {
  readonly handler: string;
  readonly messages: readonly unknown[];
  /** The traces the first look-up found, by read-model item key. */
  readonly traces: ReadonlyMap<string, Carrier>;
  readonly deps: RunnerDependencies;
}

/** The event table's stream: what a stream route reads, and the default of a direct call. */
export const EVENT_TABLE_STREAM: MessageSource = {
  system: 'aws.dynamodb_streams',
  destinationName: DESTINATIONS.eventTable,
};

/** The trace context a record input carries (the other hops' are found by their source's producersOf). */
const traceOf = (input: unknown): Carrier | undefined =>
  typeof input === 'object' && input !== null ? (input as { trace?: Carrier }).trace : undefined;

/** Decisions of one input before a persistent conflict is an error (a livelock, not a redelivery). */
export const DECIDE_ATTEMPTS = 10;

export class PersistentConflictError extends VisitplannrError {
  override readonly name = 'PersistentConflictError';
  readonly code = 'PERSISTENT_CONFLICT';
  constructor(
    readonly handler: string,
    readonly attempts: number,
  ) {
    super(`${handler}: its writes conflicted ${attempts} times in a row`);
  }
}

/** Links the consumer span to the producers of the messages, from the traces a look-up found. */
type LinkProducers = (traces: ReadonlyMap<string, Carrier>) => Promise<void>;

/**
 * Runs one input of `handler` (made of `messages`) to its end, in a CONSUMER span linked to the
 * spans that wrote its messages. A failure tells the waiting caller, then rethrows for the retry path.
 */
export function runHandler(
  handler: AnyHandler,
  input: unknown,
  deps: RunnerDependencies,
  source: MessageSource = EVENT_TABLE_STREAM,
  messages: readonly unknown[] = [input],
): Promise<Decision> {
  const correlationId = correlationIdOf(input);
  const { system, destinationName, producersOf } = source;
  return inConsumerSpan(
    { handler: handler.name, system, destinationName, correlationId, links: [traceOf(input)] },
    (span) => {
      const linkProducers: LinkProducers = async (traces) => {
        if (producersOf && span.isRecording())
          addLinks(span, await producersOf({ handler: handler.name, messages, traces, deps }));
      };
      return runToEnd(handler, input, correlationId, deps, linkProducers);
    },
  );
}

async function runToEnd(
  handler: AnyHandler,
  input: unknown,
  correlationId: string | undefined,
  deps: RunnerDependencies,
  linkProducers: LinkProducers,
): Promise<Decision> {
  try {
    return await decideAndWrite(handler, input, correlationId, deps, linkProducers);
  } catch (error) {
    deps.log.error('handler failed; its delivery goes to the retry path', {
      handler: handler.name,
      correlationId,
      error,
    });
    if (correlationId) {
      await notify(deps, { type: 'HandlerFailed', correlationId, handler: handler.name, message: 'processing failed' });
    }
    throw error;
  }
}

/** Runs every input one delivery asks for (see Handler.inputs), one after another. */
export async function runDelivery(
  handler: AnyHandler,
  messages: readonly unknown[],
  deps: RunnerDependencies,
  source: MessageSource = EVENT_TABLE_STREAM,
) {
  const inputs = handler.inputs(messages);
  if (inputs.length === 0 && messages.length > 0) {
    const recordType = (messages[0] as { type?: unknown }).type;
    deps.log.warn('record type not handled here; the rule should not have matched', {
      handler: handler.name,
      recordType,
    });
  }
  for (const input of inputs) await runHandler(handler, input, deps, source, messages);
}

async function decideAndWrite(
  handler: AnyHandler,
  input: unknown,
  correlationId: string | undefined,
  deps: RunnerDependencies,
  linkProducers: LinkProducers,
): Promise<Decision> {
  const first = handler.assume
    ? { state: handler.assume(input), traces: new Map<string, Carrier>() }
    : await lookUp(handler.name, handler.lookUp(input), deps);
  // The first look-up read what fed this delivery; one after a conflict reads writes whose own deliveries link them.
  await linkProducers(first.traces);
  let { state } = first;
  for (let attempt = 1; attempt <= DECIDE_ATTEMPTS; attempt++) {
    const decision = handler.decide(input, state, deps.clock());
    if (await writeAll(handler.name, decision, deps)) {
      deps.log.info('decided', {
        handler: handler.name,
        correlationId,
        attempt,
        writes: decision.writes.map((write) => write.kind),
        answers: decision.answers.map((answer) => answer.type),
      });
      for (const answer of decision.answers) await notify(deps, answer);
      return decision;
    }
    deps.log.info('the state changed since it was read; looking again', {
      handler: handler.name,
      correlationId,
      attempt,
    });
    state = (await lookUp(handler.name, handler.lookUp(input), deps)).state;
  }
  throw new PersistentConflictError(handler.name, DECIDE_ATTEMPTS);
}

/**
 * Carries out the writes in order; false at the first conflict (the writes before it stand, and are conditional
 * too).
 */
async function writeAll(handler: string, decision: Decision, deps: RunnerDependencies): Promise<boolean> {
  for (const write of decision.writes) if ((await carryOut(handler, write, deps)) === 'conflict') return false;
  return true;
}
