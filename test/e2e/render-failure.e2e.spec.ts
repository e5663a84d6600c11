/**
 * A render that keeps failing: the site bucket refuses the page (503 SlowDown, as S3 does
 * when it throttles) through every retry of the render-homepage mapping, the change is
 * dead-lettered, and once the bucket accepts writes again a redrive renders the page from
 * the projection and publishes it.
 */
import { describe, expect, it } from 'vitest';
import { renderHomepage } from '../../src/handlers/render-homepage.js';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { readModelStreamRoutes, routeOf } from '../../src/topology/topology.js';
import { eventually } from '../support/eventually.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack({ retry: { maxAttempts: 3, baseDelayMs: 50 }, readModelBatchingWindowMs: 100 });

/** A render is retried as its route says, as on AWS: the first attempt and `retryAttempts` more. */
const RENDER_ATTEMPTS = routeOf(readModelStreamRoutes(), renderHomepage.name).batching.retryAttempts + 1;

const renderLetters = () => stack.deadLetters.list().filter((letter) => letter.handler === renderHomepage.name);
const pageWrites = () => stack.site.writes.filter((write) => write.key === HOMEPAGE_KEY);
const servedPage = async () => (await fetch(stack.homepageUrl)).text();

describe('render-homepage when the site bucket refuses the page', () => {
  it('retries as its route says, dead-letters the change, and a redrive after the bucket recovers publishes the page', async () => {
    await stack.settled();
    const faults = stack.site.bucket.faults;
    const checker = stack.handlers['validate-geolocation'];
    const writesBefore = pageWrites().length;
    const rendersBefore = stack.renderer.invocations;
    const refusedBefore = faults.refused.length;
    // The location check waits, so the proposal changes the recent list exactly once: one
    // change, one batch for the renderer, one dead letter.
    checker.pause();
    faults.refusePuts({ keys: [HOMEPAGE_KEY] });
    try {
      const { data } = await gql(stack.graphqlUrl, PROPOSE, {
        input: { name: 'Mechelen', latitude: 51.0259, longitude: 4.4776 },
      });
      expect(data?.['proposeDestination']).toMatchObject({ __typename: 'DestinationProposed' });
      const destinationId = data?.['proposeDestination'].destination.id as string;

      const [letter] = await eventually(() => renderLetters().length > 0 && renderLetters(), {
        what: 'the render dead-lettered',
        timeoutMs: 30_000,
      });
      expect(renderLetters()).toHaveLength(1);
      expect(letter).toMatchObject({ attempts: RENDER_ATTEMPTS, error: expect.stringContaining('SlowDown') });
      // The letter holds the change of the recent list that the render was for.
      expect(letter!.payload).toMatchObject({
        eventName: expect.stringMatching(/^(INSERT|MODIFY)$/),
        dynamodb: { Keys: { pk: { S: 'recent-destinations' } } },
      });
      // Every attempt ran and was refused; none wrote the page.
      expect(stack.renderer.invocations - rendersBefore).toBe(RENDER_ATTEMPTS);
      const refused = faults.refused.slice(refusedBefore);
      expect(refused.length).toBeGreaterThanOrEqual(RENDER_ATTEMPTS);
      expect(new Set(refused)).toEqual(new Set([HOMEPAGE_KEY]));
      expect(pageWrites()).toHaveLength(writesBefore);
      expect(await servedPage()).not.toContain('Mechelen');

      // The bucket recovers; the operator redrives the letter, and the render reads the projection as it is now.
      faults.acceptPuts();
      const redrive = await fetch(stack.deadLettersUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [letter!.id] }),
      });
      expect(redrive.status).toBe(200);
      expect(await redrive.json()).toEqual({
        results: [{ id: letter!.id, handler: renderHomepage.name, redriven: true }],
      });
      expect(renderLetters()).toEqual([]);
      const published = pageWrites().slice(writesBefore);
      expect(published).toHaveLength(1);
      const recent = await gql(stack.graphqlUrl, '{ recentDestinations(limit: 1) { id } }');
      expect(recent.data?.['recentDestinations']).toEqual([{ id: destinationId }]);
      const page = await servedPage();
      expect(page).toContain('<h3 class="destination-name">Mechelen</h3>');
      expect(page).toContain(`id="destination-${destinationId}"`);
    } finally {
      faults.acceptPuts();
      checker.resume();
    }

    // The held-back check goes on to a page that renders on its own again, with no new letters.
    await stack.settled();
    expect(renderLetters()).toEqual([]);
    expect(pageWrites().length).toBeGreaterThan(writesBefore + 1);
    expect(await servedPage()).toContain('Belgium (BE)');
  });
});
