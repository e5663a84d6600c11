import type { Resolvers } from '../generated/resolvers-types.js';
import { destinationStreamId } from '../domain/streams.js';
import { InvalidArgumentError } from '../errors/index.js';
import { commandStatusView } from './command-status.js';
import { commandJourney } from './journey.js';
import { proposeDestination } from './propose-destination.js';

export const RECENT_LIMIT_MIN = 1;
export const RECENT_LIMIT_MAX = 50;
/** Ids are UUIDs; anything much longer is not one of ours (and would exceed DynamoDB's key size). */
export const MAX_ID_LENGTH = 100;

function checkedId(argument: string, value: string): string {
  if (value.length > MAX_ID_LENGTH)
    throw new InvalidArgumentError(argument, `${argument} must be at most ${MAX_ID_LENGTH} characters.`);
  return value;
}

export const resolvers: Resolvers = {
  Query: {
    async recentDestinations(_parent, { limit }, ctx) {
      const wanted = limit ?? 5;
      if (!Number.isInteger(wanted) || wanted < RECENT_LIMIT_MIN || wanted > RECENT_LIMIT_MAX)
        throw new InvalidArgumentError('limit', `limit must be between ${RECENT_LIMIT_MIN} and ${RECENT_LIMIT_MAX}.`);
      const { value: recent } = await ctx.readModels.getRecent();
      return recent.entries.filter((destination) => destination.status !== 'LOCATION_REJECTED').slice(0, wanted);
    },
    destination: (_parent, { id }, ctx) => ctx.readModels.getDestination(checkedId('id', id)),
    destinationHistory: (_parent, { id }, ctx) => ctx.eventStore.readStream(destinationStreamId(checkedId('id', id))),
    async commandStatus(_parent, { correlationId }, ctx) {
      const command = await ctx.eventStore.readCommand(checkedId('correlationId', correlationId));
      if (!command) return null;
      const outcome = await ctx.eventStore.readOutcome(correlationId);
      return { ...commandStatusView(command, outcome), command, outcome };
    },
  },
  Mutation: {
    proposeDestination: (_parent, { input }, ctx) => proposeDestination(ctx, input),
  },
  ProposeDestinationResult: {
    __resolveType: (result) =>
      'destination' in result ? 'DestinationProposed' : 'problems' in result ? 'ProposalRejected' : 'CommandPending',
  },
  DestinationEvent: {
    data: (record) => JSON.stringify(record.data),
  },
  CommandStatus: {
    journey: (status, _args, ctx) => commandJourney(ctx, status),
  },
};
