/**
 * The offline playground in headless Chromium: it loads and runs a query with every
 * request staying on the local machine.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack();
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('the playground', () => {
  it('is what a browser gets at /graphql, while GraphQL clients still get GraphQL', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/playground/app.js');
    const api = await fetch(`${stack.graphqlUrl}?query=${encodeURIComponent('{ recentDestinations { id } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await api.json()).toEqual({ data: { recentDestinations: [] } });
  });

  it('opens prefilled with the example operations and runs a query, all from localhost', async () => {
    await gql(stack.graphqlUrl, PROPOSE, { input: { name: 'Ostend', latitude: 51.23, longitude: 2.92 } });
    // The recent list is folded a batching window after the answer, and ▶ below runs the query once.
    await stack.settled();
    const page = await browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:') hosts.add(url.hostname);
    });
    await page.goto(stack.graphqlUrl);
    // CodeMirror renders only the visible lines: read and write the editor through its API.
    const editor = (script: string) =>
      page.evaluate<string | undefined>(
        `document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror.${script}`,
      );
    await expect.poll(() => editor('getValue()'), { timeout: 15_000 }).toContain('mutation ProposeDestination');
    // Every operation of the SDK is an example, a command's journey among them.
    expect(await editor('getValue()')).toContain('query CommandJourney($correlationId: ID!)');

    await editor(`setValue('query Recent { recentDestinations { name } }')`);
    // GraphiQL reads the editor after a debounce; the tab's title shows it has, so ▶ runs this one operation.
    await expect.poll(() => page.locator('.graphiql-tab').first().textContent(), { timeout: 5000 }).toContain('Recent');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 15_000 }).toContain('Ostend');
    expect([...hosts].filter((host) => host !== '127.0.0.1' && host !== 'localhost')).toEqual([]);
    expect(hosts.size).toBeGreaterThan(0);
  });
});
