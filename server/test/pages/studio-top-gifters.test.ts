import type { Browser } from 'playwright-core';
import { fundedViewer, sendGiftsWorth } from '../../../shared/testing/money';
import type { TestServer } from '../support/test-server';
import { collectPageErrors, usePageTestbed } from '../support/browser';

/*
 * The creator's studio shows their top gifters (#17) in Chromium: pick the hour, day, week, month or all time, step
 * back to earlier periods and forward again, page with "More"; a period past its retention says so.
 */
describe("the studio's Top gifters card reads the creator's board by period", () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  it('lists every gifter of today, none yesterday, and refuses a month past its retention', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${s.url}/studio`);
    await page.locator('#login-name').fill('Lumi');
    await page.locator('[data-test=login]').click();
    await page.locator('[data-test=settings][data-loaded=yes]').waitFor();
    const identity = JSON.parse((await page.evaluate("localStorage.getItem('giftwire.creator')")) as string) as {
      token: string;
      user: { id: string };
    };

    // Lumi goes live and twelve fans give 10, 20, ..., 120 coins
    const live = await s.request('POST', '/v1/streams', { token: identity.token, body: { title: 'studio night' } });
    const fans = [];
    for (let i = 1; i <= 12; i++) {
      const fan = await fundedViewer(s.deps, 1_000);
      await sendGiftsWorth(s.deps, fan, live.body.stream.id, 10 * i);
      fans.push(fan);
    }

    const rows = page.locator('[data-test=lb-row]');
    const range = page.locator('[data-test=lb-range]');
    await page.locator('[data-test=lb-period]').selectOption('day');
    await range.filter({ hasText: '(UTC)' }).waitFor();
    await page.locator('[data-test=lb-row][data-rank="10"]').waitFor();
    expect(await rows.count()).toBe(10);
    expect(await rows.first().textContent()).toBe(`#1${fans[11]!.displayName}120 coins`);
    await page.locator('[data-test=lb-more]').click();
    await page.locator('[data-test=lb-row][data-rank="12"]').waitFor();
    expect(await rows.count()).toBe(12);
    expect(await page.locator('[data-test=lb-more]').isHidden()).toBe(true);
    const today = (await range.textContent())!;

    // yesterday: nobody; back to today: everyone again
    await page.locator('[data-test=lb-earlier]').click();
    await page.locator('[data-test=lb-note]', { hasText: 'No gifts in this period.' }).waitFor();
    expect(await rows.count()).toBe(0);
    expect(await range.textContent()).not.toBe(today);
    await page.locator('[data-test=lb-later]').click();
    await range.filter({ hasText: today }).waitFor();
    await page.locator('[data-test=lb-row][data-rank="10"]').waitFor();

    // the hour and all time have them too
    await page.locator('[data-test=lb-period]').selectOption('hour');
    await range.filter({ hasText: ' UTC' }).filter({ hasNotText: '(UTC)' }).waitFor();
    await page.locator('[data-test=lb-row][data-rank="10"]').waitFor();
    expect(errors).toEqual([]);

    // months stay readable for 13 months after they end: the 14th step back is refused, and the card says so
    await page.locator('[data-test=lb-period]').selectOption('month');
    await range.filter({ hasText: /^\d{4}-\d{2}$/ }).waitFor();
    for (let i = 0; i < 13; i++) {
      const shown = (await range.textContent())!;
      await page.locator('[data-test=lb-earlier]').click();
      await range.filter({ hasNotText: shown }).waitFor();
    }
    const oldest = (await range.textContent())!;
    await page.locator('[data-test=lb-earlier]').click();
    await page.locator('[data-test=lb-note][data-kind=error]', { hasText: 'no longer kept' }).waitFor();
    expect(await range.textContent()).toBe(oldest);
    // the only complaint in the console is the refused request itself
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await page.close();
  });
});
