/**
 * The SDK's operations as `TypedDocumentNode`s, for GraphQL clients that take a parsed
 * document (Apollo Client, urql, graphql-request): the same result and variable types as
 * `createClient`'s methods, so switching clients changes no types.
 *
 * @example
 * ```ts
 * import { request } from 'graphql-request';
 * import { RecentDestinationsDocument } from '@visitplannr/sdk/documents';
 *
 * const { recentDestinations } = await request('http://localhost:4000/graphql', RecentDestinationsDocument, { limit: 3 });
 * ```
 *
 * @module documents
 */
export * from './generated/documents.js';
export type * from './generated/operations.js';
