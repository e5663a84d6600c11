/**
 * Mutations need an authenticated caller; queries stay public (they only read what the
 * homepage shows anyway). Checked once the operation is known and before any resolver
 * runs, so a refused mutation writes nothing.
 *
 * A request the site's edge vouches for (its origin secret) is a site visitor's: it may
 * propose without credentials (the edge forwards none), within the anonymous proposal
 * budget of its viewer address and of all visitors together. Every other caller
 * authenticates as configured and is not limited.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { RateLimitedError, StoreUnavailableError, UnauthenticatedError } from '../../errors/index.js';
import type { GraphQLContext } from '../../resolvers/context.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { SiteVisitorCheck } from '../edge/site-origin.js';
import type { ProposalBudget } from '../redis/proposal-budget.js';

export interface SiteVisitors {
  readonly check: SiteVisitorCheck;
  readonly budget: ProposalBudget;
}

export function mutationAuthentication(
  authenticate: Authenticator,
  siteVisitors?: SiteVisitors,
): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async didResolveOperation({ operation, request }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          const headers = request.http?.headers ?? new Map<string, string>();
          const visitor = siteVisitors?.check(headers);
          if (visitor && siteVisitors) return spendBudget(siteVisitors.budget, visitor.address);
          try {
            await authenticate(headers);
          } catch (error) {
            if (!(error instanceof UnauthenticatedError)) throw error;
            throw new GraphQLError(error.message, {
              originalError: error,
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        },
      });
    },
  };
}

async function spendBudget(budget: ProposalBudget, address: string): Promise<void> {
  let answer;
  try {
    answer = await budget.take(address);
  } catch (cause) {
    // Fail closed: without the shared counts nothing bounds anonymous writes. Retryable, like a busy store.
    const error = new StoreUnavailableError('proposal budget', { cause });
    throw new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
  }
  if (answer.allowed) return;
  const error = new RateLimitedError(answer.retryAfterSeconds);
  throw new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: answer.retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(answer.retryAfterSeconds)]]) },
    },
  });
}
