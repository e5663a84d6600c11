/**
 * examples/propose.ts as a consumer runs it: a child process importing `@visitplannr/sdk`
 * (its sources, through tsconfig.json's paths), against the local stack.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../src/shell/local/stack.js';
import { startTestStack } from '../support/stack.js';

const run = promisify(execFile);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const example = (url: string, ...args: string[]) =>
  run('node_modules/.bin/tsx', ['examples/propose.ts', ...args], { env: { ...process.env, VISITPLANNR_URL: url }, timeout: 20_000 });

describe('examples/propose.ts', () => {
  it('proposes a destination and prints the validated outcome', async () => {
    const { stdout } = await example(stack.graphqlUrl, 'Ghent', '51.05', '3.72');
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ outcome: 'proposed', name: 'Ghent', status: 'LOCATION_VALIDATED', country: 'BE' });
    expect(await fetchName(printed.id)).toBe('Ghent');
  });

  it('prints the problems of a rejected proposal', async () => {
    const { stdout } = await example(stack.graphqlUrl, 'Nowhere', '91', '0');
    expect(JSON.parse(stdout)).toEqual({ outcome: 'rejected', problems: ['latitude:OUT_OF_RANGE'] });
  });

  it('fails with a NetworkError and exit code 1 when the API is unreachable', async () => {
    const failed = await example('http://127.0.0.1:9/graphql').catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('NetworkError:') });
  });
});

async function fetchName(id: string): Promise<string | undefined> {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query($id: ID!) { destination(id: $id) { name } }', variables: { id } }) });
  return ((await response.json()) as { data?: { destination?: { name: string } } }).data?.destination?.name;
}
