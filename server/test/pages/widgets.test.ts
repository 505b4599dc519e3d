import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/test-server';
import { artifactPath, collectPageErrors, usePageTestbed } from '../support/browser';
import { liveCreator, screenshot, setGoal, socketFan } from './fixtures';

/*
 * The overlay's parts as separate OBS sources (?widget=alerts|top|battle|goal), and the whole overlay laid out so
 * that nothing covers anything at 1920x1080 and 1280x720, during a gift war with every part on screen.
 * With DOCS_SCREENSHOTS=1: docs/img/widget-top-gifters.png, widget-battle.png, overlay-layout.png.
 */
describe('each overlay widget stands alone, and together they never overlap', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  async function open(url: string, width: number, height: number) {
    const page = await browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(url);
    await page.locator('[data-test=conn][data-state=connected]').waitFor({ state: 'attached' });
    return { page, errors };
  }

  const visible = (page: Page, sel: string) => page.locator(sel).isVisible();
  const box = async (page: Page, sel: string) => {
    const b = await page.locator(sel).first().boundingBox();
    if (!b) throw new Error(`${sel} is not on screen`);
    return b;
  };

  it('alerts, top gifters, battle bar and goal bar each have a URL that shows only that part', async () => {
    const nova = await liveCreator(s, 'Nova', 'Widgets');
    const orion = await liveCreator(s, 'Orion', 'Rival');
    const base = nova.overlayUrl.replace('#', '?widget=WIDGET&preview=1#');
    const url = (w: string) => base.replace('WIDGET', w);

    const top = await open(url('top'), 360, 380);
    const battle = await open(url('battle'), 1000, 240);
    const goal = await open(url('goal'), 800, 110);
    const alerts = await open(url('alerts'), 1920, 1080);

    const invite = await s.request('POST', '/v1/battles', {
      token: nova.token,
      body: { streamId: nova.stream.id, opponentStreamId: orion.stream.id, durationSec: 120 },
    });
    await s.request('POST', `/v1/battles/${invite.body.battle.id}/accept`, { token: orion.token });
    await setGoal(s, nova, 'New camera', 50_000);
    const zoe = await socketFan(s, 'Zoe', 60_000);
    const max = await socketFan(s, 'Max', 50_000);
    const kai = await socketFan(s, 'Kai', 50_000);
    await zoe(nova.stream.id, 'lion');
    await max(nova.stream.id, 'galaxy', 3);
    const roses = await kai(nova.stream.id, 'rose', 7);
    await kai(orion.stream.id, 'sports-car');

    // Alerts: gifts and streaks, nothing else.
    const card = alerts.page.locator('[data-test=combo][data-gift=rose]');
    await card.locator('[data-test=combo-count]', { hasText: '×7' }).waitFor();
    await alerts.page.locator('[data-test=alert]').first().waitFor();
    for (const other of ['[data-test=top-gifters]', '[data-test=battle-bar]', '[data-test=goal-bar]'])
      expect(await visible(alerts.page, other)).toBe(false);
    // The streak's end (`streak:ended`, STREAK_GAP_MS after Kai's roses): the card shows the final count, marked
    // as ended, and then leaves.
    expect(roses.gift.combo).toBe(7);
    await alerts.page.locator('[data-test=combo][data-gift=rose][data-ended=yes]', { hasText: '×7' }).waitFor();
    await card.waitFor({ state: 'detached' });

    // Top gifters: the ranking alone, filling its small source.
    // The leaderboard push is throttled: wait for the one that has all three gifters.
    await top.page.locator('[data-test=top-row]', { hasText: 'Kai' }).waitFor();
    expect(await top.page.locator('[data-test=top-row]').allTextContents()).toEqual([
      '1Zoe29,999',
      '2Max3,000',
      '3Kai7',
    ]);
    for (const other of ['[data-test=battle-bar]', '[data-test=alert]', '[data-test=combo]', '[data-test=goal-bar]'])
      expect(await visible(top.page, other)).toBe(false);
    const panel = await box(top.page, '[data-test=top-gifters]');
    expect(panel.x).toBe(0);
    expect(panel.y).toBe(0);
    expect(panel.width).toBeGreaterThan(300);
    await screenshot(top.page, 'widget-top-gifters.png');

    // The battle bar alone, with the score of both sides.
    await battle.page.locator('[data-test=battle-ours-score]', { hasText: '33,006' }).waitFor();
    await battle.page.locator('[data-test=battle-theirs-score]', { hasText: '7,000' }).waitFor();
    expect(await visible(battle.page, '[data-test=top-gifters]')).toBe(false);
    expect(await visible(battle.page, '[data-test=goal-bar]')).toBe(false);
    await screenshot(battle.page, 'widget-battle.png');

    // The goal bar alone follows the goal's events, reached included: every gift to Nova counted in it.
    await goal.page.locator('[data-test=goal-numbers]', { hasText: '33,006 / 50,000' }).waitFor();
    expect(await visible(goal.page, '[data-test=top-gifters]')).toBe(false);
    expect(await visible(goal.page, '[data-test=battle-bar]')).toBe(false);
    await goal.page.screenshot({ path: artifactPath('widget-goal.png') });
    await zoe(nova.stream.id, 'lion');
    await goal.page.locator('[data-test=goal-bar][data-status=reached]', { hasText: 'reached' }).waitFor();

    for (const p of [top, battle, goal, alerts]) expect(p.errors).toEqual([]);
  }, 60_000); // four browser pages at once

  it.each([
    [1920, 1080],
    [1280, 720],
  ])('at %ix%i the whole overlay shows goal, battle, top gifters, streaks and an alert side by side', async (w, h) => {
    const nova = await liveCreator(s, `Nova${w}`, 'Layout');
    const orion = await liveCreator(s, `Orion${w}`, 'Rival');
    const overlay = await open(nova.overlayUrl.replace('#', '?preview=1#'), w, h);
    const invite = await s.request('POST', '/v1/battles', {
      token: nova.token,
      body: { streamId: nova.stream.id, opponentStreamId: orion.stream.id, durationSec: 120 },
    });
    await s.request('POST', `/v1/battles/${invite.body.battle.id}/accept`, { token: orion.token });
    await setGoal(s, nova, 'New camera', 50_000);

    // The Hand Hearts alert plays 3x longer (a variation), so a loaded machine still measures it on screen.
    const style = { variations: [{ giftId: 'hand-hearts', durationScale: 3 }] };
    expect((await s.request('PUT', '/v1/overlay-settings', { token: nova.token, body: style })).status).toBe(200);

    const names = ['Ann', 'Bob', 'Cy', 'Dee', 'Eve'];
    const fans = await Promise.all(names.map((n) => socketFan(s, `${n}${w}`, 20_000)));
    const streaks = async () => {
      for (const [i, fan] of fans.entries()) await fan(nova.stream.id, i % 2 ? 'finger-heart' : 'rose', 3 + i);
    };
    await streaks();
    await overlay.page.locator('[data-test=top-row]').nth(4).waitFor();
    await overlay.page.locator('[data-test=goal-bar]:not([hidden])').waitFor();
    await overlay.page.locator('[data-test=battle-bar]').waitFor();
    // Streak cards fade 4 s after their last gift: keep them going, then the alert, then measure.
    await streaks();
    await fans[0]!(nova.stream.id, 'hand-hearts');
    await overlay.page.locator('[data-test=combo]').nth(4).waitFor();
    await overlay.page.locator('[data-test=alert][data-tier=medium]').waitFor();
    await overlay.page.waitForTimeout(700); // entrance animations done

    const parts = {
      goal: await box(overlay.page, '[data-test=goal-bar]'),
      battle: await box(overlay.page, '[data-test=battle-bar]'),
      top: await box(overlay.page, '[data-test=top-gifters]'),
      streaks: await box(overlay.page, '[data-test=combos]'),
      alert: await box(overlay.page, '[data-test=alert][data-tier=medium]'),
      conn: await box(overlay.page, '[data-test=conn]'),
    };
    const entries = Object.entries(parts);
    const overlaps: string[] = [];
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++) {
        const [a, ba] = entries[i]!;
        const [b, bb] = entries[j]!;
        const apart =
          ba.x + ba.width <= bb.x || bb.x + bb.width <= ba.x || ba.y + ba.height <= bb.y || bb.y + bb.height <= ba.y;
        if (!apart) overlaps.push(`${a} × ${b}`);
      }
    expect(overlaps).toEqual([]);
    for (const [name, b] of entries) {
      expect([name, b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h]).toEqual([name, true]);
    }
    if (w === 1920) await screenshot(overlay.page, 'overlay-layout.png');
    expect(overlay.errors).toEqual([]);
  });
});
