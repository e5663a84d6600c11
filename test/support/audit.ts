import type { LocalStack } from '../../local/stack.js';
import { gql, type GraphQLResponse } from '../e2e/client.js';
import { scanAll } from './tables.js';

/**
 * What is wrong with the proposals these answers are for, once the stack has settled: each
 * command must be ACCEPTED (whatever its answer said: a destination, or CommandPending),
 * decided for the destination it answered, with one DestinationProposed, one CommandAccepted
 * and one view; no event id may appear twice. An empty list means nothing lost, nothing doubled.
 */
export async function auditProposals(
  stack: Pick<LocalStack, 'graphqlUrl' | 'dynamodbEndpoint' | 'tables'>,
  answers: readonly GraphQLResponse[],
): Promise<string[]> {
  const events = await scanAll(stack.dynamodbEndpoint, stack.tables.events);
  const readModels = await scanAll(stack.dynamodbEndpoint, stack.tables.readModels);
  const problems: string[] = [];
  if (new Set(events.map((item) => item['eventId'])).size !== events.length) problems.push('an event id appears twice');
  for (const answer of answers) {
    const { correlationId, destination } = answer.data?.['proposeDestination'] ?? {};
    if (!correlationId) {
      problems.push(`an answer without a correlation id: ${JSON.stringify(answer)}`);
      continue;
    }
    const status = await gql(
      stack.graphqlUrl,
      `{ commandStatus(correlationId: "${correlationId}") { state destinationId } }`,
    );
    const { state, destinationId } = status.data?.['commandStatus'] ?? {};
    if (state !== 'ACCEPTED') problems.push(`${correlationId}: ${state}`);
    if (destination && destination.id !== destinationId)
      problems.push(`${correlationId}: answered ${destination.id}, decided ${destinationId}`);
    const count = (type: string) =>
      events.filter((item) => item['correlationId'] === correlationId && item['type'] === type).length;
    for (const type of ['DestinationProposed', 'CommandAccepted'])
      if (count(type) !== 1) problems.push(`${correlationId}: ${count(type)} ${type}`);
    const views = readModels.filter((item) => item['pk'] === `destination#${destinationId}`).length;
    if (views !== 1) problems.push(`${correlationId}: ${views} read models`);
  }
  return problems;
}
