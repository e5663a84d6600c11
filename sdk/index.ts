/** visitplannr/sdk: the typed client, its errors, and the generated schema types it uses. */
export { createClient, VisitplannrClient, type ClientOptions, type CommandStatus, type Destination, type DestinationEvent, type ProposeOptions } from './client.js';
export { CommandFailedError, DeadlineError, GraphQLRequestError, NetworkError, type GraphQLErrorEntry } from './errors.js';
export type { ProposalOutcome, ProposeDestinationResult, WaitForOutcome } from './outcome.js';
export type { CommandState, DestinationStatus, ProblemCode, ProblemFieldsFragment as Problem, ProposeDestinationInput, WaitFor } from './generated/graphql.js';
