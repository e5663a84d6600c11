/**
 * Hostile names reaching the homepage: proposed through the API, stored and rendered by
 * the real handlers, and the published index.html opened from the local stack's site in
 * headless Chromium, its own script running.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><svg onload=alert(3)>',
  "' onmouseover='alert(4)",
  '</h3></li></ol><form action=//evil.test><button>Win</button></form>',
  '<!-- comment --><style>body{display:none}</style>',
  '&lt;already escaped&gt; &amp; &#x3c;',
  '{{constructor.constructor("alert(5)")()}} <%= it.apiUrl %>',
  'javascript:alert(6)',
  'مرحبا <b>bold</b> 🏖️',
];

const stack = useTestStack();
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('hostile names on the homepage', () => {
  it('are stored verbatim and render as text: no element, script or dialog comes from a name', async () => {
    for (const name of HOSTILE) {
      const { data } = await gql(stack.graphqlUrl, PROPOSE, { input: { name, latitude: 50.85, longitude: 4.35 } });
      expect(data?.['proposeDestination']).toMatchObject({ __typename: 'DestinationProposed', destination: { name } });
    }
    await stack.settled();

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(stack.homepageUrl, { waitUntil: 'networkidle' });
    const shown = await page.$$eval('.destination-name', (elements) =>
      elements.map((element) => ({ text: element.textContent, children: element.children.length })),
    );
    expect(shown.map((entry) => entry.text).sort()).toEqual([...HOSTILE].sort());
    expect(shown.every((entry) => entry.children === 0)).toBe(true);
    expect(await page.$$eval('script', (scripts) => scripts.map((script) => script.getAttribute('src')))).toEqual([
      'homepage.js',
    ]);
    // The map is the page's one SVG; a name adds none (nor anything else).
    expect(await page.$$eval('img, svg:not(#map), style, iframe, b', (elements) => elements.length)).toBe(0);
    expect((await page.$$eval('#map .pin title', (titles) => titles.map((title) => title.textContent))).sort()).toEqual(
      [...HOSTILE].sort(),
    );
    expect(await page.$$eval('form', (forms) => forms.map((form) => form.id))).toEqual(['propose-form']);
    expect(await page.$$eval('li.destination', (items) => items.length)).toBe(HOSTILE.length);
    await page.mouse.move(10, 10);
    expect(dialogs).toEqual([]);
    expect(requested.filter((url) => !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url))).toEqual([]);
    await page.close();
  }, 60_000);
});
