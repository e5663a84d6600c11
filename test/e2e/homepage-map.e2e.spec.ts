/**
 * The homepage's map and accessibility in real Chromium, on the site's origin (the local edge,
 * as CloudFront on AWS): the form posts to its own origin; a click on the map fills the
 * coordinates; a hostile name is text in the list and on the map; axe-core finds no WCAG 2.2
 * A/AA violation.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { useTestStack } from '../support/stack.js';

const OUTPUT_DIR = join(import.meta.dirname, '../../test-output');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const stack = useTestStack({ readModelBatchingWindowMs: 100 });
let browser: Browser;
beforeAll(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** The page, with every request it makes (method and URL) recorded. */
async function open(): Promise<{ page: Page; requests: { method: string; url: string }[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  const requests: { method: string; url: string }[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(stack.homepageUrl);
  await page.locator('#use-location').waitFor({ state: 'attached' });
  await page.waitForFunction(() => document.readyState === 'complete');
  return { page, requests, errors };
}

async function propose(page: Page, name: string, latitude: string, longitude: string): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Latitude').fill(latitude);
  await page.getByLabel('Longitude').fill(longitude);
  await page.getByRole('button', { name: 'Propose' }).click();
  await expect.poll(() => page.locator('#outcome').textContent(), { timeout: 20_000 }).toMatch(/Proposed “/);
}

/** A fresh page (new context, nothing cached) once the published page lists `name`. */
async function openWhenPublished(name: string): Promise<Awaited<ReturnType<typeof open>>> {
  let opened: Awaited<ReturnType<typeof open>> | undefined;
  await expect
    .poll(
      async () => {
        await opened?.page.close();
        opened = await open();
        return opened.page.locator('#destinations .destination-name').allTextContents();
      },
      { timeout: 60_000, interval: 500 },
    )
    .toContain(name);
  return opened!;
}

describe('the homepage map in Chromium', () => {
  it('given the form, when a destination is proposed, then it posts to its own origin (no preflight) and the new pin joins the map', async () => {
    const { page, requests, errors } = await open();
    await propose(page, 'Bruges', '51.2093', '3.2247');
    const origin = new URL(stack.homepageUrl).origin;
    const calls = requests.filter((request) => new URL(request.url).pathname === '/graphql');
    // The proposal, then the journey's queries: every one a POST, none preceded by a preflight.
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.method === 'POST')).toBe(true);
    expect(calls.every((call) => new URL(call.url).origin === origin)).toBe(true);
    expect(requests.every((request) => new URL(request.url).origin === origin)).toBe(true);
    await expect.poll(() => page.locator('#map-pins .pin title').allTextContents()).toContain('Bruges');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('given the map, when a visitor clicks a place on it, then its latitude and longitude fill the form', async () => {
    const { page } = await open();
    // The map's centre is 0° N, 0° E (in the Gulf of Guinea, no pin there): where is it on the screen?
    const target = await page.evaluate(() => {
      const svg = document.getElementById('map') as unknown as SVGSVGElement;
      const box = svg.viewBox.baseVal;
      const point = new DOMPoint(box.width / 2, box.height / 2).matrixTransform(svg.getScreenCTM()!);
      return { x: point.x, y: point.y };
    });
    await page.mouse.click(target.x, target.y);
    await expect.poll(() => page.getByLabel('Latitude').inputValue()).toMatch(/^-?0\.\d{4}$/);
    expect(Math.abs(Number(await page.getByLabel('Latitude').inputValue()))).toBeLessThan(0.5);
    expect(Math.abs(Number(await page.getByLabel('Longitude').inputValue()))).toBeLessThan(0.5);
    expect(await page.locator('#outcome').textContent()).toContain('filled in from the map');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    // A click beside the globe fills nothing in.
    await page.getByLabel('Latitude').fill('');
    const corner = await page.locator('#map').boundingBox();
    await page.mouse.click(corner!.x + 3, corner!.y + 3);
    await expect.poll(() => page.locator('#outcome').textContent()).toContain('off the map');
    expect(await page.getByLabel('Latitude').inputValue()).toBe('');
    await page.screenshot({ path: join(OUTPUT_DIR, 'homepage-map-click.png'), fullPage: true });
    await page.close();
  });

  it('given a hostile name, then it is text in the list and on the map, in place and once published', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const { page, errors } = await open();
    await propose(page, hostile, '48.8566', '2.3522');
    await expect.poll(() => page.locator('#map-pins .pin title').allTextContents()).toContain(hostile);
    await page.close();

    const published = await openWhenPublished(hostile);
    const pin = published.page
      .locator('#map-pins .pin')
      .filter({ has: published.page.locator('title', { hasText: hostile }) });
    expect(await pin.locator('title').textContent()).toBe(hostile);
    expect(await pin.locator('text').textContent()).toBe(hostile);
    // The pin leads to its entry in the list.
    const entry = (await pin.getAttribute('href'))!.slice(1);
    expect(await published.page.locator(`[id="${entry}"] .destination-name`).textContent()).toBe(hostile);
    expect(await published.page.locator('img').count()).toBe(0);
    expect(await published.page.locator('script').count()).toBe(1);
    expect([...errors, ...published.errors]).toEqual([]);
    await published.page.screenshot({ path: join(OUTPUT_DIR, 'homepage-map.png'), fullPage: true });
    await published.page.close();
  }, 90_000);

  it('given the published page with destinations, then axe-core reports no WCAG 2.2 A/AA violation', async () => {
    const { page } = await openWhenPublished('Bruges');
    // Evaluated through the DevTools protocol, which the page's CSP (scripts from the site only) does not govern.
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(
      (tags) =>
        (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(
          document,
          { runOnly: { type: 'tag', values: tags } },
        ),
      WCAG_22_AA,
    );
    expect(
      results.violations.map((violation) => ({
        id: violation.id,
        nodes: violation.nodes.map((node) => node.target.join(' ')),
      })),
    ).toEqual([]);
    expect(results.passes.length).toBeGreaterThan(10);
    await page.close();
  }, 90_000);
});
