/**
 * `@visitplannr/sdk`: the typed client ({@link createClient}), its errors, and the schema
 * types its results use. The same operations as `TypedDocumentNode`s for other GraphQL
 * clients are in `@visitplannr/sdk/documents`.
 *
 * @module @visitplannr/sdk
 */
export {
  createClient,
  VisitplannrClient,
  type ClientOptions,
  type CommandJourney,
  type CommandStatus,
  type Destination,
  type DestinationEvent,
  type JourneyStep,
  type ProposeOptions,
} from './client.js';
export {
  CommandFailedError,
  DeadlineError,
  GraphQLRequestError,
  NetworkError,
  type GraphQLErrorEntry,
} from './errors.js';
export type { ProposalOutcome, ProposeDestinationResult, WaitForOutcome } from './outcome.js';
export type {
  AnswerHow,
  CommandState,
  DestinationStatus,
  JourneyStepName,
  ProblemCode,
  ProblemFieldsFragment as Problem,
  ProposeDestinationInput,
  WaitFor,
} from './generated/operations.js';
