import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/test-server';
import { collectPageErrors, usePageTestbed } from '../support/browser';
import { liveCreator, screenshot, setGoal, socketFan } from './fixtures';

/*
 * The viewer page on a 390-pixel-wide phone: the overlay's animations scaled into the player, the streak counter,
 * and the gift picker as a bottom sheet. With DOCS_SCREENSHOTS=1: docs/img/watch-phone.png.
 */
describe('a viewer on a phone watches the gifts play and sends from a bottom sheet', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  it('the sheet opens from its handle, a streak counts up on the player, a big gift takes the player', async () => {
    const nova = await liveCreator(s, 'Nova', 'Phone night');
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${s.url}/watch/${nova.stream.id}`);
    await page.locator('#login-name').fill('Ann');
    await page.locator('[data-test=login]').click();
    await page.locator('[data-test=package][data-package=coins-5000]').click();
    await page.locator('[data-test=send-status][data-kind=ok]', { hasText: 'coins.' }).waitFor();
    await page.locator('[data-test=conn][data-state=connected]').waitFor();

    // Closed, the sheet shows only its handle at the bottom of the screen; the gifts are out of view.
    const handle = page.locator('[data-test=sheet-handle]');
    const sheet = page.locator('[data-test=gift-sheet]');
    expect(await handle.getAttribute('aria-expanded')).toBe('false');
    const closed = (await sheet.boundingBox())!;
    expect(closed.y).toBeGreaterThan(844 - 80);
    expect(closed.width).toBe(390);
    await handle.tap();
    await page.waitForTimeout(350); // the slide-up transition
    const opened = (await sheet.boundingBox())!;
    expect(opened.y + opened.height).toBeLessThanOrEqual(844 + 1);
    expect(opened.y).toBeLessThan(844 - 250);
    await page.locator('[data-test=gift][data-gift=rose]').tap();
    await page.locator('[data-test=count]').fill('5');
    await page.locator('[data-test=send]').tap();
    await page.locator('[data-test=send-status]', { hasText: 'Sent Rose ×5.' }).waitFor();
    await page.locator('[data-test=send]').tap();
    await page.locator('[data-test=send-status]', { hasText: 'combo ×10' }).waitFor();

    // The streak counts up on the player, as on the overlay.
    const player = page.locator('#screen');
    await player.locator('[data-test=combo][data-gift=rose] [data-test=combo-count]', { hasText: '×10' }).waitFor();
    await handle.tap();
    expect(await handle.getAttribute('aria-expanded')).toBe('false');

    // Someone else's Universe takes the player, scaled into it.
    const zoe = await socketFan(s, 'Zoe', 40_000);
    await zoe(nova.stream.id, 'universe');
    const alert = player.locator('[data-test=alert][data-gift=universe]');
    await alert.waitFor();
    const screen = (await player.boundingBox())!;
    const art = (await alert.locator('.gift-icon').boundingBox())!;
    expect(art.x).toBeGreaterThanOrEqual(screen.x);
    expect(art.x + art.width).toBeLessThanOrEqual(screen.x + screen.width);
    expect(art.width).toBeLessThan(screen.width / 2);
    await page.waitForTimeout(900);
    await screenshot(page, 'watch-phone.png');

    // The stream's goal above the player (after the docs picture): set by the creator, moved by the next gift.
    await setGoal(s, nova, 'Road trip', 100_000);
    await page.locator('[data-test=goal-numbers]', { hasText: '0 / 100,000' }).waitFor();
    await zoe(nova.stream.id, 'rose');
    await page.locator('[data-test=goal-numbers]', { hasText: '1 / 100,000' }).waitFor();

    expect(errors).toEqual([]);
  });
});
