/**
 * The typed visitplannr client: one method per operation in sdk/operations, results typed
 * by the generated documents (schema/ is the source of truth).
 */
import type {
  CommandJourneyQuery,
  CommandStatusQuery,
  DestinationFieldsFragment,
  DestinationHistoryQuery,
  ProposeDestinationInput,
} from './generated/operations.js';
import {
  CommandJourneyDocument,
  CommandStatusDocument,
  DestinationDocument,
  DestinationHistoryDocument,
  ProposeDestinationDocument,
  RecentDestinationsDocument,
} from './generated/strings.js';
import { followOutcome, type ProposalOutcome, type ProposeDestinationResult, type WaitForOutcome } from './outcome.js';
import { type ClientOptions, createTransport, type GraphQLRequest } from './transport.js';

export type { ClientOptions };
/** A destination as every operation returns it. */
export type Destination = DestinationFieldsFragment;
/** One stored event of a destination; `data` is its JSON. */
export type DestinationEvent = DestinationHistoryQuery['destinationHistory'][number];
/** What became of a command, by its correlation id. */
export type CommandStatus = NonNullable<CommandStatusQuery['commandStatus']>;
/** A command's state and the steps it has taken so far, in causal order. */
export type CommandJourney = NonNullable<CommandJourneyQuery['commandStatus']>;
/** One step of a command's journey: which, by which function, when, and how long after the API received it. */
export type JourneyStep = CommandJourney['journey'][number];

/** Options of {@link VisitplannrClient.proposeDestination}. */
export interface ProposeOptions {
  /**
   * Follow a CommandPending answer with commandStatus until the outcome is known or the deadline
   * passes (DeadlineError).
   */
  readonly waitForOutcome?: WaitForOutcome;
}

/** One method per operation; make one with {@link createClient}. */
export class VisitplannrClient {
  /** @internal Use {@link createClient}. */
  constructor(private readonly request: GraphQLRequest) {}

  /**
   * Proposes a destination. The answer is `DestinationProposed`, `ProposalRejected` (with
   * each problem), or `CommandPending` when the server's deadline passed first; with
   * `waitForOutcome` a pending answer is followed up until it is known (never `CommandPending`).
   *
   * @example
   * ```ts
   * const outcome = await client.proposeDestination(
   *   { name: 'Ghent', latitude: 51.05, longitude: 3.72, waitFor: 'LOCATION_CHECKED' },
   *   { waitForOutcome: { deadlineMs: 15_000 } },
   * );
   * if (outcome.__typename === 'DestinationProposed') console.log(outcome.destination.country); // 'BE'
   * else console.log(outcome.problems.map((problem) => problem.message));
   * ```
   * @throws {@link DeadlineError} when `waitForOutcome.deadlineMs` passes first;
   * {@link CommandFailedError}, {@link NetworkError}, {@link GraphQLRequestError}.
   */
  proposeDestination(
    input: ProposeDestinationInput,
    options: ProposeOptions & { waitForOutcome: WaitForOutcome },
  ): Promise<ProposalOutcome>;
  proposeDestination(input: ProposeDestinationInput, options?: ProposeOptions): Promise<ProposeDestinationResult>;
  async proposeDestination(
    input: ProposeDestinationInput,
    options: ProposeOptions = {},
  ): Promise<ProposeDestinationResult> {
    const startedAt = Date.now();
    const { proposeDestination: result } = await this.request(ProposeDestinationDocument, { input });
    if (result.__typename !== 'CommandPending' || !options.waitForOutcome) return result;
    return followOutcome(this.request, result.correlationId, input.waitFor, options.waitForOutcome, startedAt);
  }

  /**
   * The newest destinations, newest first, without those whose location was rejected;
   * `limit` 1–50 (the server's default is 5).
   *
   * @example
   * ```ts
   * for (const destination of await client.recentDestinations(10)) console.log(destination.name, destination.status);
   * ```
   */
  async recentDestinations(limit?: number): Promise<Destination[]> {
    return (await this.request(RecentDestinationsDocument, limit === undefined ? {} : { limit })).recentDestinations;
  }

  /**
   * One destination as projected now, or `null` when the id is unknown.
   *
   * @example
   * ```ts
   * const destination = await client.destination(id);
   * console.log(destination?.status ?? 'unknown id');
   * ```
   */
  async destination(id: string): Promise<Destination | null> {
    return (await this.request(DestinationDocument, { id })).destination;
  }

  /**
   * Every event of one destination, oldest first (`data` is the event's JSON).
   *
   * @example
   * ```ts
   * const history = await client.destinationHistory(id);
   * console.log(history.map((event) => event.type)); // ['DestinationProposed', 'GeolocationValidationSucceeded']
   * ```
   */
  async destinationHistory(id: string): Promise<DestinationEvent[]> {
    return (await this.request(DestinationHistoryDocument, { id })).destinationHistory;
  }

  /**
   * Where a command stands (`PENDING`, `ACCEPTED`, `REJECTED` or `FAILED`), by the
   * correlation id every answer of `proposeDestination` carries; `null` when unknown
   * (invalid proposals are refused without storing a command).
   *
   * @example
   * ```ts
   * const pending = await client.proposeDestination({ name: 'Ghent', latitude: 51.05, longitude: 3.72 });
   * const status = await client.commandStatus(pending.correlationId);
   * if (status?.state === 'ACCEPTED') console.log(status.destinationId);
   * ```
   */
  async commandStatus(correlationId: string): Promise<CommandStatus | null> {
    return (await this.request(CommandStatusDocument, { correlationId })).commandStatus;
  }

  /**
   * The journey of a command so far: each step (`RECEIVED`, `COMMAND_WRITTEN`, `DECIDED`,
   * `LOCATION_CHECKED`, `PROJECTED`, `ANSWERED`, `PAGE_PUBLISHED`, `CDN_INVALIDATED`) with the
   * function that took it, when, and milliseconds after `RECEIVED`, in causal order; `null` when
   * the correlation id is unknown. Later steps appear as they happen: ask again to follow it.
   *
   * @example
   * ```ts
   * const answer = await client.proposeDestination({ name: 'Ghent', latitude: 51.05, longitude: 3.72 });
   * const journey = await client.commandJourney(answer.correlationId);
   * for (const step of journey?.journey ?? []) console.log(step.step, step.handler, `+${step.sinceReceivedMs} ms`);
   * ```
   */
  async commandJourney(correlationId: string): Promise<CommandJourney | null> {
    return (await this.request(CommandJourneyDocument, { correlationId })).commandStatus;
  }
}

/**
 * A client for the visitplannr API at `url`. It sends each operation as one JSON POST with
 * `fetch` (the platform's, or `options.fetch`) and needs nothing else: Node ≥ 20 or a browser.
 *
 * @example
 * ```ts
 * import { createClient } from '@visitplannr/sdk';
 *
 * const client = createClient({ url: 'http://localhost:4000/graphql', timeoutMs: 10_000, headers: { 'x-api-key': apiKey } });
 * console.log(await client.recentDestinations());
 * ```
 */
export function createClient(options: ClientOptions): VisitplannrClient {
  return new VisitplannrClient(createTransport(options));
}
