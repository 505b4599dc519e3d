import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/test-server';
import { artifactPath, usePageTestbed } from '../support/browser';
import { liveCreator, openOverlay, openViewer, sendFromPage } from './fixtures';

describe("a viewer sends gifts from the watch page and the creator's overlay plays them", () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  it('roses stack as a combo counter, a luxury car takes the screen, and both pages show the leaderboard', async () => {
    const creator = await liveCreator(s, 'Nova', 'Gift night');
    expect(creator.overlayUrl).toContain('/overlay/live#key=');
    const overlay = await openOverlay(browser, creator.overlayUrl);
    const viewer = await openViewer(browser, s.url, creator.stream.id, 'Ann');
    await viewer.page.locator('[data-test=title]', { hasText: 'Gift night' }).waitFor();
    expect(await viewer.page.locator('[data-test=coins]').textContent()).toBe('5,000');

    expect(await sendFromPage(viewer.page, 'rose', 5)).toBe('Sent Rose ×5.');
    expect(await sendFromPage(viewer.page, 'rose', 5)).toBe('Sent Rose ×5 · combo ×10.');
    const combo = overlay.page.locator('[data-test=combo][data-sender=Ann][data-gift=rose] [data-test=combo-count]');
    await combo.filter({ hasText: '×10' }).waitFor();
    await overlay.page.locator('[data-test=top-row]', { hasText: 'Ann' }).filter({ hasText: '10' }).waitFor();

    expect(await sendFromPage(viewer.page, 'luxury-car', 1)).toBe('Sent Luxury Car.');
    const alert = overlay.page.locator('[data-test=alert][data-gift=luxury-car]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Ann');
    await overlay.page.locator('[data-test=top-row]', { hasText: 'Ann' }).filter({ hasText: '2,709' }).waitFor();
    await overlay.page.screenshot({ path: artifactPath('overlay-gifts.png'), omitBackground: true });

    // The viewer's own page: balance from the acknowledgements, the gifts in the feed, the leaderboard.
    expect(await viewer.page.locator('[data-test=coins]').textContent()).toBe('2,291'); // 5,000 - 10 - 2,699
    await viewer.page.locator('[data-test=leaderboard-row]', { hasText: 'Ann' }).filter({ hasText: '2,709' }).waitFor();
    expect(await viewer.page.locator('[data-test=feed-item]').count()).toBe(3);
    await viewer.page.screenshot({ path: artifactPath('watch.png') });

    expect(overlay.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
  });

  it('a refused gift says why and moves nothing; an empty wallet cannot send a universe', async () => {
    const creator = await liveCreator(s, 'Orion', 'Quiet night');
    const viewer = await openViewer(browser, s.url, creator.stream.id, 'Bob', 'coins-70');
    expect(await sendFromPage(viewer.page, 'universe', 1)).toMatch(/^INSUFFICIENT_FUNDS: /);
    expect(await viewer.page.locator('[data-test=coins]').textContent()).toBe('70');
    expect(viewer.errors).toEqual([]);
  });

  it('the overlay reconnects by itself after the server drops it, and keeps playing gifts', async () => {
    const creator = await liveCreator(s, 'Vega', 'Reconnect test');
    const overlay = await openOverlay(browser, creator.overlayUrl);
    s.giftwire.io.disconnectSockets();
    await overlay.page.locator('[data-test=conn][data-state=reconnecting]').waitFor();
    await overlay.page.locator('[data-test=conn][data-state=connected]').waitFor();
    // Rejoined: a gift sent now reaches it.
    const viewer = await openViewer(browser, s.url, creator.stream.id, 'Cleo', 'coins-500');
    expect(await sendFromPage(viewer.page, 'corgi', 1)).toBe('Sent Corgi.');
    await overlay.page.locator('[data-test=alert][data-gift=corgi]').waitFor();
    expect(overlay.errors).toEqual([]);
  });
});
