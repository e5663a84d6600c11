/**
 * An SDK consumer: proposes a destination and prints the outcome as one JSON line.
 * Run `npx tsx examples/propose.ts [name] [latitude] [longitude]` against the stack at
 * VISITPLANNR_URL (default http://localhost:4000/graphql); in this repository
 * `@visitplannr/sdk` resolves to sdk/src through tsconfig.json's paths.
 */
import { CommandFailedError, createClient, DeadlineError, GraphQLRequestError, NetworkError } from '@visitplannr/sdk';

const url = process.env['VISITPLANNR_URL'] ?? 'http://localhost:4000/graphql';
const [name = 'Ghent', latitude = '51.05', longitude = '3.72'] = process.argv.slice(2);
const client = createClient({ url });

try {
  const outcome = await client.proposeDestination(
    { name, latitude: Number(latitude), longitude: Number(longitude), waitFor: 'LOCATION_CHECKED' },
    { waitForOutcome: { deadlineMs: 15_000 } },
  );
  // The union narrows on __typename: each branch sees only its own fields.
  if (outcome.__typename === 'DestinationProposed') {
    const { id, status, country } = outcome.destination;
    console.log(JSON.stringify({ outcome: 'proposed', id, name: outcome.destination.name, status, country }));
  } else {
    console.log(
      JSON.stringify({
        outcome: 'rejected',
        problems: outcome.problems.map((problem) => `${problem.field}:${problem.code}`),
      }),
    );
  }
} catch (error) {
  if (
    error instanceof NetworkError ||
    error instanceof GraphQLRequestError ||
    error instanceof DeadlineError ||
    error instanceof CommandFailedError
  ) {
    console.error(`${error.name}: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
