/**
 * Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH; `npm test`'s pre-script installs it
 * as root on Debian and otherwise stops, saying so, before any test runs) driven by playwright-core,
 * which downloads no browser. Background networking is off so every request a test sees
 * is one the page made.
 */
import { type Browser, chromium } from 'playwright-core';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
