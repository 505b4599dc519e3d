import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { v4 as uuidv4 } from 'uuid';
import { emitAck } from '../../../shared/testing/harness';
import { type TestServer } from '../support/test-server';
import { artifactPath, collectPageErrors, usePageTestbed } from '../support/browser';
import { liveCreator, openViewer, sendFromPage } from './fixtures';

/*
 * The battle bar on the overlay and on the viewer page. With DOCS_SCREENSHOTS=1 the overlay shot is also written to
 * docs/img/overlay-battle.png (the README's picture).
 */
describe('during a gift war the overlay shows both scores, the timer and the result', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  /** A fan of a stream who is not on a page: a plain Socket.io client with coins. */
  async function fan(name: string, coins: number) {
    const { token } = await s.createUser({ displayName: name });
    const r = await s.request('POST', '/v1/wallet/recharges', {
      token,
      headers: { 'Idempotency-Key': uuidv4() },
      body: { coins, payment: { token: 'tok_ok' } },
    });
    if (r.status !== 201) throw new Error(`recharge: ${r.status} ${JSON.stringify(r.body)}`);
    const socket = await s.connect({ token });
    return (streamId: string, giftId: string, count = 1) =>
      emitAck(socket, 'gift:send', { streamId, giftId, count, idempotencyKey: uuidv4() }).then((ack) => {
        if (!ack.ok) throw new Error(JSON.stringify(ack.error));
        return ack;
      });
  }

  it('scores move as gifts arrive on either side, MVPs show, and a forfeit ends it', async () => {
    const nova = await liveCreator(s, 'Nova', 'Team Nova');
    const orion = await liveCreator(s, 'Orion', 'Team Orion');

    // The overlay as OBS shows it; ?preview adds a backdrop so the screenshot reads like a stream. Half the device
    // scale keeps the picture small (960x540) for the README.
    const overlay = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 0.5 });
    overlay.setDefaultTimeout(10_000);
    const overlayErrors = collectPageErrors(overlay);
    await overlay.goto(`${s.url}/overlay/live?preview=1#key=${nova.overlayKey}`);
    await overlay.locator('[data-test=conn][data-state=connected]').waitFor();
    const bar = overlay.locator('[data-test=battle-bar]');
    expect(await bar.isVisible()).toBe(false);

    const invite = await s.request('POST', '/v1/battles', {
      token: nova.token,
      body: { streamId: nova.stream.id, opponentStreamId: orion.stream.id, durationSec: 180 },
    });
    expect(invite.status).toBe(201);
    expect(
      (await s.request('POST', `/v1/battles/${invite.body.battle.id}/accept`, { token: orion.token })).status,
    ).toBe(200);
    await bar.waitFor();
    expect(await overlay.locator('[data-test=battle-timer]').textContent()).toMatch(/^(3:00|2:5\d)$/);
    expect(await overlay.locator('[data-test=battle-ours-score]').textContent()).toBe('0');

    const viewer = await openViewer(browser, s.url, nova.stream.id, 'Ann', 'coins-12500');
    await viewer.page.locator('[data-test=battle-bar]').waitFor();
    expect(await sendFromPage(viewer.page, 'galaxy', 2)).toBe('Sent Galaxy ×2.');
    await overlay.locator('[data-test=battle-ours-score]', { hasText: '2,000' }).waitFor();

    const orionFan = await fan('Max', 30_000);
    await orionFan(orion.stream.id, 'lion');
    await overlay.locator('[data-test=battle-theirs-score]', { hasText: '29,999' }).waitFor();
    await overlay.locator('.battle-mvp', { hasText: 'Max' }).waitFor();

    // A comeback on Nova's side while her fans' roses stack up.
    const novaFan = await fan('Zoe', 40_000);
    await novaFan(nova.stream.id, 'universe');
    await overlay.locator('[data-test=alert][data-gift=universe]').waitFor();
    expect(await sendFromPage(viewer.page, 'rose', 9)).toBe('Sent Rose ×9.');
    await novaFan(nova.stream.id, 'finger-heart', 3);
    await overlay.locator('[data-test=battle-ours-score]', { hasText: '37,023' }).waitFor();
    await overlay.locator('[data-test=combo-count]', { hasText: '×9' }).waitFor();
    await overlay.locator('[data-test=combo-count]', { hasText: '×3' }).waitFor();
    await overlay.locator('[data-test=top-row]', { hasText: 'Zoe' }).waitFor();
    await viewer.page.locator('[data-test=battle-ours-score]', { hasText: '37,023' }).waitFor();
    // Let the entrance animations settle for the picture (the combo cards stay for 4 s after their last gift).
    await overlay.waitForTimeout(500);
    const shot = artifactPath('overlay-battle.png');
    await overlay.screenshot({ path: shot });
    if (process.env.DOCS_SCREENSHOTS) {
      const docs = path.resolve(__dirname, '../../../docs/img');
      mkdirSync(docs, { recursive: true });
      copyFileSync(shot, path.join(docs, 'overlay-battle.png'));
    }

    // Orion leaves mid-battle: a forfeit, Nova wins.
    await s.request('POST', `/v1/streams/${orion.stream.id}/end`, { token: orion.token });
    await overlay.locator('[data-test=battle-result][data-outcome=win]', { hasText: 'VICTORY · forfeit' }).waitFor();
    await viewer.page.locator('[data-test=battle-result][data-outcome=win]').waitFor();
    await overlay.screenshot({ path: artifactPath('overlay-battle-result.png') });
    expect(overlayErrors).toEqual([]);
    expect(viewer.errors).toEqual([]);
  });
});
