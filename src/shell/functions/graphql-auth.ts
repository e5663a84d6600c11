/**
 * Mutations need an authenticated caller; queries stay public (they only read what the
 * homepage shows anyway). Checked once the operation is known and before any resolver
 * runs, so a refused mutation writes nothing.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { UnauthenticatedError } from '../../errors/index.js';
import type { GraphQLContext } from '../../resolvers/context.js';
import type { Authenticator } from '../auth/authenticator.js';

export function mutationAuthentication(authenticate: Authenticator): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation?.operation !== 'mutation') return;
          try {
            await authenticate(request.http?.headers ?? new Map());
          } catch (error) {
            if (!(error instanceof UnauthenticatedError)) throw error;
            throw new GraphQLError(error.message, { originalError: error, extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          }
        },
      };
    },
  };
}
