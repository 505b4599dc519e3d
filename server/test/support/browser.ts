import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './test-server';

/**
 * A real headless Chromium for the pages' end-to-end tests: Debian's `chromium` package (`.ci/run` installs it)
 * driven by playwright-core. One browser per test file; close it in afterAll.
 */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** CHROMIUM_PATH, else the first Chromium or Chrome found in the usual places. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(
      "No Chromium for the page tests: install Debian's `chromium` package (.ci/run does) or set CHROMIUM_PATH.",
    );
  }
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Where screenshots go: `.test-artifacts/` at the repository root (gitignored; CI keeps it as an artifact). */
export function artifactPath(name: string): string {
  const dir = path.resolve(__dirname, '../../.test-artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Fails the test on any uncaught error or console error in the page: a broken script must not pass quietly. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/**
 * One real Giftwire server and one Chromium for a describe block: started in beforeAll, closed in afterAll.
 * `ready` hands both over once they are up.
 */
export function usePageTestbed(ready: (bed: { s: TestServer; browser: Browser }) => void): void {
  let bed: { s: TestServer; browser: Browser } | undefined;
  beforeAll(async () => {
    const [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    bed = { s, browser };
    ready(bed);
  });
  afterAll(async () => {
    await bed?.browser.close();
    await bed?.s.close();
  });
}
