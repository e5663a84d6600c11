/**
 * The soak, scaled down to run inside `npm test` (`npm run soak` runs 1000 proposals from
 * 64 clients): every request answered, every accepted proposal exactly once in the event
 * table and the read models, no duplicates, resent proposals answered alike.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak-run.js';
import { useTestStack } from '../support/stack.js';

const stack = useTestStack({ mutationDeadlineMs: 5000 });

describe('soak (scaled down)', () => {
  it('150 proposals from 16 clients: 0 hung, 0 lost, 0 duplicated', async () => {
    const report = await runSoak({
      graphqlUrl: stack.graphqlUrl,
      homepageUrl: stack.homepageUrl,
      dynamodbEndpoint: stack.dynamodbEndpoint,
      tables: stack.tables,
      settled: () => stack.settled(),
      proposals: 150,
      clients: 16,
      requestTimeoutMs: 15_000,
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      proposals: 150,
      requests: 165,
      answered: 165,
      hung: 0,
      failed: 0,
      lost: 0,
      duplicates: 0,
      resent: 15,
      resentAnsweredAlike: 15,
      errors: {},
    });
    expect(report.homepage).toMatchObject({ duplicated: 0, missing: 0, unknown: 0 });
    expect(report.homepage.listed).toBeGreaterThan(0);
    // 6 of the 150 have an invalid latitude; the rest are accepted, each counted once however often it was sent.
    expect(report.rejected).toBe(6);
    expect(report.accepted).toBe(144);
  }, 120_000);
});
