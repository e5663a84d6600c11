/**
 * A handler that keeps crashing: the caller gets a typed error within the deadline, the
 * record goes through the retry path to the dead-letter store, and an operator lists and
 * redrives it with `npm run dead-letters` (run here as a child process over HTTP).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeadLetterStore } from '../../local/dead-letters.js';
import { runCli } from '../support/cli.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const DEADLINE_MS = 3000;
const MAX_ATTEMPTS = 2;
let dataDir = '';
// dataDir keeps the dead letters in a file too; DynamoDB is the run's shared one.
const stack = useTestStack(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'visitplannr-dead-letters-'));
  return { mutationDeadlineMs: DEADLINE_MS, retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50 }, dataDir };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  runCli('local/dead-letters-cli.ts', args, { DEAD_LETTERS_URL: stack.deadLettersUrl });

const destination = async (correlationId: string) => {
  const status = await gql(stack.graphqlUrl, `{ commandStatus(correlationId: "${correlationId}") { destinationId } }`);
  const answer = await gql(
    stack.graphqlUrl,
    `{ destination(id: "${status.data?.['commandStatus'].destinationId}") { name status country } }`,
  );
  return answer.data?.['destination'];
};

describe('a crashing handler, its dead letter, and the operator script', () => {
  it('answers HANDLER_FAILED within the deadline, dead-letters after the retries, lists and redrives', async () => {
    // Every attempt of validate-geolocation crashes (the event-store call it makes first throws).
    stack.handlers['validate-geolocation'].failNext(MAX_ATTEMPTS);
    const { data, errors } = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Crashy', latitude: 46.2, longitude: 6.14, waitFor: 'LOCATION_CHECKED' },
    });
    // HANDLER_FAILED, not the CommandPending the deadline would give: the failure notice answered first.
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions).toMatchObject({
      code: 'HANDLER_FAILED',
      handler: 'validate-geolocation',
      retrying: true,
    });
    expect(errors?.[0]?.message).toBe(
      'Processing failed in validate-geolocation and will be retried; ask commandStatus for the outcome.',
    );
    const correlationId = String(errors?.[0]?.extensions?.['correlationId']);

    await stack.settled();
    expect(await destination(correlationId)).toEqual({ name: 'Crashy', status: 'PROPOSED', country: null });
    const letters = stack.deadLetters
      .list()
      .filter(
        (letter) => (letter.payload as { detail?: { correlationId?: string } }).detail?.correlationId === correlationId,
      );
    expect(letters).toMatchObject([
      { handler: 'validate-geolocation', attempts: MAX_ATTEMPTS, error: expect.stringContaining('InjectedFaultError') },
    ]);
    const letterId = letters[0]!.id;
    // Kept on disk as well, for an operator after a restart.
    expect(await readFile(join(dataDir, 'dead-letters.jsonl'), 'utf8')).toContain(letterId);

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${letterId}`);
    expect(listed.stdout).toMatch(
      new RegExp(
        `${letterId} .* validate-geolocation  attempts=${MAX_ATTEMPTS}  DestinationProposed correlationId=${correlationId}`,
      ),
    );

    const redriven = await cli('redrive', letterId);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout).toContain(`${letterId}  validate-geolocation  redriven`);
    expect(redriven.stdout).toContain('1 redriven, 0 failed');
    expect(redriven.stderr).toMatch(/^redrive 1\/1 \(100%\), [\d.]+\/s, took \d+s$/m);
    await stack.settled();
    expect(await destination(correlationId)).toEqual({ name: 'Crashy', status: 'LOCATION_VALIDATED', country: 'CH' });
    expect(stack.deadLetters.list().some((letter) => letter.id === letterId)).toBe(false);
    expect((await cli('list')).stdout).not.toContain(letterId);
    // A restarted stack would load what is left: the redriven letter is gone from the file too.
    expect(
      createDeadLetterStore(join(dataDir, 'dead-letters.jsonl'))
        .list()
        .some((letter) => letter.id === letterId),
    ).toBe(false);
  });

  it('keeps a letter whose handler fails again, with the new error, and exits 1', async () => {
    stack.handlers['validate-geolocation'].failNext(MAX_ATTEMPTS);
    const { errors } = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Twice', latitude: 47.37, longitude: 8.54, waitFor: 'LOCATION_CHECKED' },
    });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', handler: 'validate-geolocation' });
    const correlationId = String(errors?.[0]?.extensions?.['correlationId']);
    // Settled: the retries ran out and the letter is stored.
    await stack.settled();
    const letter = stack.deadLetters
      .list()
      .find(
        (candidate) =>
          (candidate.payload as { detail?: { correlationId?: string } }).detail?.correlationId === correlationId,
      );
    expect(letter).toMatchObject({ handler: 'validate-geolocation', attempts: MAX_ATTEMPTS });

    stack.handlers['validate-geolocation'].failNext(1);
    expect(await cli('redrive', letter!.id)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('0 redriven, 1 failed'),
    });
    expect(stack.deadLetters.list().find((candidate) => candidate.id === letter!.id)).toMatchObject({
      attempts: MAX_ATTEMPTS + 1,
      error: expect.stringContaining('InjectedFaultError'),
    });

    expect((await cli('redrive')).stdout).toMatch(/[1-9]\d* redriven, 0 failed/);
    await stack.settled();
    expect(stack.deadLetters.list()).toEqual([]);
  });

  it('tells the operator when no stack answers', async () => {
    expect(
      await runCli('local/dead-letters-cli.ts', ['list'], {
        DEAD_LETTERS_URL: 'http://127.0.0.1:9/admin/dead-letters',
      }),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('no local stack answers') });
  });
});
