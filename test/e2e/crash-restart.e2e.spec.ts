/**
 * The whole local stack killed with SIGKILL mid-load (its Node process, DynamoDB Local's
 * JVM and everything else in its process group), then started again on the same DATA_DIR:
 * every proposal, sent again with its idempotency key as a client would, ends exactly once.
 * Nothing the first stack wrote is lost; nothing it was deciding is decided twice.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { inputFor, runSoak } from '../../bench/soak-run.js';
import { freePort } from '../../local/net.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { PROPOSE } from './client.js';

const PROPOSALS = 120;
const RUN_ID = 'crash';
let dataDir = '';
let restarted: LocalStack | undefined;
afterAll(async () => {
  await restarted?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function untilAnswers(url: string, timeoutMs: number): Promise<void> {
  const query = JSON.stringify({ query: '{ recentDestinations { id } }' });
  await eventually(
    async () => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })).ok,
    { what: `the stack at ${url} answering`, timeoutMs, intervalMs: 200 },
  );
}

describe('kill -9 of the whole stack mid-load, then a restart on the same DATA_DIR', () => {
  it('answers every resent proposal exactly once: nothing lost, nothing duplicated', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'visitplannr-crash-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    // `npm start`, as a user runs it, in a process group of its own so one signal takes all of it.
    const first = spawn('node_modules/.bin/tsx', ['local/main.ts'], {
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        REDIS_URL: inject('redisUrl'),
        LOG_LEVEL: 'SILENT',
      },
    });
    await untilAnswers(url, 60_000);

    // Load from 16 clients; the kill comes once a third of the proposals are answered.
    let answered = 0;
    let killed = false;
    let next = 0;
    const killedAt = new Promise<void>((resolve) => {
      const client = async () => {
        while (next < PROPOSALS && !killed) {
          const input = inputFor(RUN_ID, next++);
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: PROPOSE, variables: { input } }),
          })
            .then(async (response) => (await response.json(), answered++))
            .catch(() => undefined);
          if (answered >= PROPOSALS / 3 && !killed) {
            killed = true;
            process.kill(-first.pid!, 'SIGKILL');
            resolve();
          }
        }
      };
      void Promise.all(Array.from({ length: 16 }, client));
    });
    await killedAt;
    await new Promise((resolve) => first.once('exit', resolve));
    expect(answered).toBeLessThan(PROPOSALS);

    // The restart reads the same DynamoDB data and dead letters; every proposal is sent again.
    restarted = await startLocalStack({
      port: 0,
      dataDir,
      redisUrl: inject('redisUrl'),
      namespace: `crash-${process.pid}`,
      logLevel: 'SILENT',
    });
    const report = await runSoak({
      graphqlUrl: restarted.graphqlUrl,
      homepageUrl: restarted.homepageUrl,
      dynamodbEndpoint: restarted.dynamodbEndpoint,
      tables: restarted.tables,
      settled: restarted.settled.bind(restarted),
      proposals: PROPOSALS,
      clients: 16,
      requestTimeoutMs: 15_000,
      runId: RUN_ID,
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ proposals: PROPOSALS, hung: 0, failed: 0, lost: 0, duplicates: 0 });
    // inputFor: 1 in 25 has an invalid latitude (rejected, nothing stored); the rest are accepted, each once.
    expect(report.rejected + report.accepted).toBe(PROPOSALS);
    expect(report.accepted).toBe(PROPOSALS - report.rejected);
  }, 180_000);
});
