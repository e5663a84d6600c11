/**
 * examples/propose.ts as a consumer runs it: a child process importing `@visitplannr/sdk`
 * (its sources, through tsconfig.json's paths), against the local stack.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTestStack } from '../support/stack.js';

const stack = useTestStack();

const example = (url: string, ...args: string[]) => runCli('examples/propose.ts', args, { VISITPLANNR_URL: url });

describe('examples/propose.ts', () => {
  it('proposes a destination and prints the validated outcome', async () => {
    const { code, stdout } = await example(stack.graphqlUrl, 'Ghent', '51.05', '3.72');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { id: string };
    expect(printed).toMatchObject({ outcome: 'proposed', name: 'Ghent', status: 'LOCATION_VALIDATED', country: 'BE' });
    expect(await fetchName(printed.id)).toBe('Ghent');
  });

  it('prints the problems of a rejected proposal', async () => {
    const { code, stdout } = await example(stack.graphqlUrl, 'Nowhere', '91', '0');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ outcome: 'rejected', problems: ['latitude:OUT_OF_RANGE'] });
  });

  it('fails with a NetworkError and exit code 1 when the API is unreachable', async () => {
    expect(await example('http://127.0.0.1:9/graphql')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NetworkError:'),
    });
  });
});

async function fetchName(id: string): Promise<string | undefined> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($id: ID!) { destination(id: $id) { name } }', variables: { id } }),
  });
  return ((await response.json()) as { data?: { destination?: { name: string } } }).data?.destination?.name;
}
