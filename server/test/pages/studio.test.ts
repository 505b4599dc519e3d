import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/test-server';
import { collectPageErrors, usePageTestbed } from '../support/browser';
import { screenshot } from './fixtures';

/*
 * The creator's studio (/studio) in Chromium: sign in, get the widget URLs, style the overlay and hear it, press
 * "test alert" and watch every tier play on the overlay that is open in OBS (here, another tab), marked as a test.
 * With DOCS_SCREENSHOTS=1 the alert of each tier is written to docs/img/alert-<tier>.png, the studio to studio.png.
 */
describe('a creator styles the overlay in the studio and plays a test alert on it', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  async function openStudio(name: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${s.url}/studio`);
    await page.locator('#login-name').fill(name);
    await page.locator('[data-test=login]').click();
    await page.locator('[data-test=settings][data-loaded=yes]').waitFor();
    return { page, errors };
  }

  async function widgetUrl(studio: Page, widget: string): Promise<string> {
    return studio.locator(`[data-test=widget-url][data-widget=${widget}]`).inputValue();
  }

  it('every tier plays on the overlay as a test, with its sound; a saved style applies there at once', async () => {
    const studio = await openStudio('Nova');
    await studio.page.locator('[data-test=new-key]').click();
    const alertsUrl = await widgetUrl(studio.page, 'alerts');
    expect(alertsUrl).toMatch(/\/overlay\/live\?widget=alerts#key=[A-Za-z0-9_-]{16,}$/);
    for (const w of ['top', 'battle', 'goal']) expect(await widgetUrl(studio.page, w)).toContain(`?widget=${w}#key=`);

    // The alerts widget as OBS shows it: Nova is not live yet, which is when a creator sets up OBS.
    const overlay = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 0.5 });
    overlay.setDefaultTimeout(15_000);
    const overlayErrors = collectPageErrors(overlay);
    await overlay.goto(alertsUrl.replace('?widget=alerts', '?widget=alerts&preview=1'));
    await overlay.locator('[data-test=conn][data-state=waiting]').waitFor();
    const canvas = overlay.locator('#canvas');
    expect(await canvas.getAttribute('data-position')).toBe('center');

    // A style, saved: the open overlay takes it without a reload.
    const form = studio.page;
    await form.locator('[data-test=position]').selectOption('top');
    await form.locator('[data-test=font]').selectOption('impact');
    await form.locator('[data-test=accentColor]').fill('#00e0ff');
    await form.locator('[data-test=volume]').fill('40');
    await form.locator('[data-test=tier-sound][data-tier=medium]').selectOption('coins');
    await form.locator('[data-test=add-variation]').click();
    const v = form.locator('[data-test=variation]').last();
    await v.locator('[data-test=variation-gift]').selectOption('universe');
    await v.locator('[data-test=variation-min]').fill('');
    await v.locator('[data-test=variation-message]').fill('{name} opened the {gift}!');
    await v.locator('[data-test=variation-sound]').selectOption('fanfare');
    await form.locator('[data-test=save]').click();
    await form.locator('[data-test=status][data-kind=ok]', { hasText: 'Saved' }).waitFor();
    await overlay.locator('#canvas[data-position=top][data-font=impact]').waitFor();
    // What the browser computes for the canvas (a string: the root tsconfig has no DOM types).
    const computed = (prop: string) =>
      overlay.evaluate(`getComputedStyle(document.getElementById('canvas')).getPropertyValue('${prop}').trim()`);
    expect(await computed('--accent')).toBe('#00e0ff');
    expect(await computed('font-family')).toMatch(/^Impact/);

    await screenshot(form, 'studio.png', { fullPage: true });

    // The server kept it: a reload of the studio shows the same.
    await form.reload();
    await form.locator('[data-test=settings][data-loaded=yes]').waitFor();
    expect(await form.locator('[data-test=position]').inputValue()).toBe('top');
    expect(await form.locator('[data-test=variation-message]').inputValue()).toBe('{name} opened the {gift}!');

    // Test alerts, one tier at a time so each can be seen (and photographed) on its own.
    const test = (tier: string) => form.locator(`[data-test=test-tier][data-tier=${tier}]`).click();
    await test('small');
    const card = overlay.locator('[data-test=combo][data-test-alert=yes][data-gift=doughnut]');
    await card.waitFor();
    expect(await card.locator('[data-test=combo-count]').textContent()).toBe('×5');
    expect(await canvas.getAttribute('data-last-sound')).toBe('pop');
    await overlay.waitForTimeout(400);
    await screenshot(overlay, 'alert-small.png');

    const expected: Array<[string, string, string]> = [
      ['medium', 'corgi', 'coins'],
      ['large', 'sports-car', 'fanfare'],
      ['epic', 'universe', 'fanfare'], // the Universe variation's sound
    ];
    for (const [tier, gift, sound] of expected) {
      await test(tier);
      const alert = overlay.locator(`[data-test=alert][data-tier=${tier}][data-test-alert=yes]`);
      await alert.waitFor();
      expect(await alert.getAttribute('data-gift')).toBe(gift);
      expect(await alert.getAttribute('data-sound')).toBe(sound);
      expect(await alert.locator('[data-test=test-tag]').textContent()).toContain('TEST');
      await overlay.waitForTimeout(900);
      await screenshot(overlay, `alert-${tier}.png`);
    }
    expect(await overlay.locator('[data-test=alert-message]').textContent()).toBe('Test alert opened the Universe!');

    // Muted: the alerts still play, silently.
    await form.locator('[data-test=muted]').check();
    await form.locator('[data-test=save]').click();
    await form.locator('[data-test=status][data-kind=ok]', { hasText: 'Saved' }).waitFor();
    await form.locator('[data-test=test-all]').click();
    await overlay.locator('[data-test=alert][data-tier=medium][data-sound=muted]').waitFor();

    expect(studio.errors).toEqual([]);
    expect(overlayErrors).toEqual([]);
  });

  it('a mistake is named on the page and nothing is saved', async () => {
    const studio = await openStudio('Orion');
    await studio.page.locator('[data-test=add-variation]').click();
    const v = studio.page.locator('[data-test=variation]').last();
    await v.locator('[data-test=variation-min]').fill('');
    await studio.page.locator('[data-test=save]').click();
    await studio.page.locator('[data-test=status][data-kind=error]', { hasText: 'giftId or minCoins' }).waitFor();
    await studio.page.reload();
    await studio.page.locator('[data-test=settings][data-loaded=yes]').waitFor();
    expect(await studio.page.locator('[data-test=variation]').count()).toBe(0);
    expect(studio.errors).toEqual([]);
  });
});
