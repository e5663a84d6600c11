/**
 * `CommandStatus.journey`: the stored pieces of one command's journey, read side by side, then
 * put in order by the pure domain/journey.ts. Asked for only when a query selects the field.
 */
import { journeyOf, type JourneyStep } from '../domain/journey.js';
import type { Command, CommandOutcome } from '../domain/messages.js';
import { emptyPublications } from '../domain/publications.js';
import { destinationStreamId } from '../domain/streams.js';
import type { CommandStatusView } from './command-status.js';
import type { GraphQLContext } from './context.js';

/** What the commandStatus resolver read, kept for the journey so it is not read twice. */
export type CommandStatusModel = CommandStatusView & {
  readonly command: Command;
  readonly outcome: CommandOutcome | null;
};

export async function commandJourney(ctx: GraphQLContext, status: CommandStatusModel): Promise<JourneyStep[]> {
  const { command, outcome } = status;
  const destinationId = outcome?.type === 'CommandAccepted' ? outcome.data.destinationId : null;
  const [locationCheckedAt, recent, answer] = await Promise.all([
    destinationId ? locationCheckTime(ctx, destinationId) : null,
    destinationId ? ctx.readModels.getRecent().then(({ value }) => value) : null,
    // The answer log is a record, not the truth: without the cache the journey lacks ANSWERED, nothing more.
    ctx.answers.read(command.correlationId).catch((error: unknown) => {
      ctx.log.warn('answer log unavailable; the journey lacks ANSWERED', {
        correlationId: command.correlationId,
        error: String(error),
      });
      return null;
    }),
  ]);
  const listing = (destinationId && recent?.listed?.[destinationId]) || null;
  // The page is known only from the list version the destination entered in.
  const publications = listing ? await ctx.readModels.getPublications() : emptyPublications;
  return journeyOf({ command, outcome, locationCheckedAt, listing, publications, answer });
}

async function locationCheckTime(ctx: GraphQLContext, destinationId: string): Promise<string | null> {
  const events = await ctx.eventStore.readStream(destinationStreamId(destinationId), 1);
  const check = events.find(
    (event) => event.type === 'GeolocationValidationSucceeded' || event.type === 'GeolocationValidationFailed',
  );
  return check?.time ?? null;
}
