/**
 * The typed visitplannr client: one method per operation in sdk/operations, results typed
 * by the generated documents (schema/ is the source of truth).
 */
import {
  CommandStatusDocument,
  type CommandStatusQuery,
  DestinationDocument,
  type DestinationFieldsFragment,
  DestinationHistoryDocument,
  type DestinationHistoryQuery,
  ProposeDestinationDocument,
  type ProposeDestinationInput,
  RecentDestinationsDocument,
} from './generated/graphql.js';
import { followOutcome, type ProposalOutcome, type ProposeDestinationResult, type WaitForOutcome } from './outcome.js';
import { createTransport, type GraphQLRequest, type TransportOptions } from './transport.js';

export type ClientOptions = TransportOptions;
export type Destination = DestinationFieldsFragment;
export type DestinationEvent = DestinationHistoryQuery['destinationHistory'][number];
export type CommandStatus = NonNullable<CommandStatusQuery['commandStatus']>;

export interface ProposeOptions {
  /** Follow a CommandPending answer with commandStatus until the outcome is known or the deadline passes (DeadlineError). */
  readonly waitForOutcome?: WaitForOutcome;
}

export class VisitplannrClient {
  constructor(private readonly request: GraphQLRequest) {}

  proposeDestination(input: ProposeDestinationInput, options: ProposeOptions & { waitForOutcome: WaitForOutcome }): Promise<ProposalOutcome>;
  proposeDestination(input: ProposeDestinationInput, options?: ProposeOptions): Promise<ProposeDestinationResult>;
  async proposeDestination(input: ProposeDestinationInput, options: ProposeOptions = {}): Promise<ProposeDestinationResult> {
    const startedAt = Date.now();
    const { proposeDestination: result } = await this.request(ProposeDestinationDocument, { input });
    if (result.__typename !== 'CommandPending' || !options.waitForOutcome) return result;
    return followOutcome(this.request, result.correlationId, input.waitFor, options.waitForOutcome, startedAt);
  }

  /** Newest first; `limit` 1–50 (the server's default is 5). */
  async recentDestinations(limit?: number): Promise<Destination[]> {
    return (await this.request(RecentDestinationsDocument, limit === undefined ? {} : { limit })).recentDestinations;
  }

  async destination(id: string): Promise<Destination | null> {
    return (await this.request(DestinationDocument, { id })).destination;
  }

  async destinationHistory(id: string): Promise<DestinationEvent[]> {
    return (await this.request(DestinationHistoryDocument, { id })).destinationHistory;
  }

  async commandStatus(correlationId: string): Promise<CommandStatus | null> {
    return (await this.request(CommandStatusDocument, { correlationId })).commandStatus;
  }
}

export function createClient(options: ClientOptions): VisitplannrClient {
  return new VisitplannrClient(createTransport(options));
}
