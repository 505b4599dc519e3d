import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { v4 as uuidv4 } from 'uuid';
import { emitAck } from '../../../shared/testing/harness';
import type { Goal, Stream } from '../../../shared/contracts/models';
import type { TestServer } from '../support/test-server';
import { artifactPath, collectPageErrors } from '../support/browser';

/** A creator who is live, with an overlay key: what a streamer has before adding the overlay to OBS. */
export async function liveCreator(s: TestServer, displayName: string, title: string) {
  const { user, token } = await s.createUser({ displayName });
  const stream = (await s.request('POST', '/v1/streams', { token, body: { title } })).body.stream as Stream;
  const key = await s.request('POST', '/v1/overlay-key', { token });
  if (key.status !== 201) throw new Error(`overlay key: ${key.status}`);
  return { user, token, stream, overlayKey: key.body.overlayKey as string, overlayUrl: key.body.overlayUrl as string };
}

/** The overlay as OBS shows it: a 1920x1080 page; resolves once it has joined its stream. */
export async function openOverlay(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.setDefaultTimeout(10_000);
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.locator('[data-test=conn][data-state=connected]').waitFor();
  return { page, errors };
}

/** A viewer page, signed in with the development login and holding `coins` bought from the sandbox. */
export async function openViewer(
  browser: Browser,
  base: string,
  streamId: string,
  name: string,
  packageId = 'coins-5000',
) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  const errors = collectPageErrors(page);
  await page.goto(`${base}/watch/${streamId}`);
  await page.locator('#login-name').fill(name);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=wallet]').waitFor();
  await page.locator(`[data-test=package][data-package=${packageId}]`).click();
  await page.locator('[data-test=send-status][data-kind=ok]', { hasText: 'coins.' }).waitFor();
  await page.locator('[data-test=conn][data-state=connected]').waitFor();
  return { page, errors };
}

/** Picks a gift and a count on the viewer page, sends it, and waits for the acknowledgement. */
export async function sendFromPage(page: Page, giftId: string, count: number): Promise<string> {
  await page.locator(`[data-test=gift][data-gift=${giftId}]`).click();
  await page.locator('[data-test=count]').fill(String(count));
  const status = page.locator('[data-test=send-status]');
  await status.evaluate((el) => {
    el.textContent = '';
  });
  await page.locator('[data-test=send]').click();
  await page.locator('[data-test=send-status]:not(:empty)').waitFor();
  return (await status.textContent()) ?? '';
}

/**
 * A screenshot into .test-artifacts/; with DOCS_SCREENSHOTS=1 also into docs/img/ (the README's pictures), so the
 * pictures are always the tests' own pages.
 */
export async function screenshot(
  page: Page,
  name: string,
  opts: { omitBackground?: boolean; fullPage?: boolean } = {},
): Promise<void> {
  const shot = artifactPath(name);
  await page.screenshot({ path: shot, ...opts });
  if (process.env.DOCS_SCREENSHOTS) {
    const docs = path.resolve(__dirname, '../../../docs/img');
    mkdirSync(docs, { recursive: true });
    copyFileSync(shot, path.join(docs, name));
  }
}

/** A fan with coins on a plain Socket.io client: sends gifts without a page. */
export async function socketFan(s: TestServer, name: string, coins: number) {
  const { token } = await s.createUser({ displayName: name });
  const r = await s.request('POST', '/v1/wallet/recharges', {
    token,
    headers: { 'Idempotency-Key': uuidv4() },
    body: { coins, payment: { token: 'tok_ok' } },
  });
  if (r.status !== 201) throw new Error(`recharge: ${r.status} ${JSON.stringify(r.body)}`);
  const socket = await s.connect({ token });
  return async (streamId: string, giftId: string, count = 1) => {
    const ack = await emitAck(socket, 'gift:send', { streamId, giftId, count, idempotencyKey: uuidv4() });
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    return ack;
  };
}

/** The creator sets a goal on their stream (POST /v1/streams/:id/goals). */
export async function setGoal(
  s: TestServer,
  creator: { token: string; stream: Stream },
  title: string,
  targetCoins: number,
): Promise<Goal> {
  const r = await s.request('POST', `/v1/streams/${creator.stream.id}/goals`, {
    token: creator.token,
    body: { title, targetCoins },
  });
  if (r.status !== 201) throw new Error(`goal: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.goal as Goal;
}
