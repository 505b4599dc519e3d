import { startTestServer } from '../../../shared/testing/harness';
import { artifactPath, launchBrowser } from '../../../shared/testing/browser';
import { creatorRoom } from '../../../shared/contracts/rooms';
import { liveCreator } from '../pages/fixtures';
import type { GiftEvent } from '../../../shared/contracts/models';

it('visual', async () => {
  const [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  try {
    const c = await liveCreator(s, 'Nova', 'Storm');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 0.5 });
    await page.goto(`${s.url}/overlay/live?preview=1#key=${c.overlayKey}`);
    await page.locator('[data-test=conn][data-state=connected]').waitFor();
    let n = 0;
    const g = (sender: string, giftId: string, giftName: string, coins: number, count = 1, combo = count): GiftEvent => ({
      id: `x${++n}`, streamId: c.stream.id, sender: { id: sender, displayName: sender }, giftId, giftName, coins, count, totalCoins: coins * count, combo, at: Date.now(),
    });
    const emit = (items: GiftEvent[]) => s.giftwire.io.to(creatorRoom(c.stream.id)).emit('gifts', { streamId: c.stream.id, items });
    emit([g('Ann', 'corgi', 'Corgi', 299, 2)]);
    for (let i = 0; i < 8; i++) emit([g(`Fan${i}`, 'rose', 'Rose', 1, 3, 3 * (i + 1))]);
    await page.waitForTimeout(800);
    await page.screenshot({ path: artifactPath('v-medium.png') });
    const items: GiftEvent[] = [];
    for (let i = 0; i < 60; i++) items.push(g(`W${i}`, 'luxury-car', 'Luxury Car', 2699));
    for (let i = 0; i < 30; i++) items.push(g(`M${i}`, 'hand-hearts', 'Hand Hearts', 100));
    emit(items);
    await page.waitForTimeout(4000);
    await page.screenshot({ path: artifactPath('v-storm.png') });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: artifactPath('v-storm2.png') });
  } finally {
    await browser.close();
    await s.close();
  }
});
