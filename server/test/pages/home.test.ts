import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/test-server';
import { artifactPath, collectPageErrors, usePageTestbed } from '../support/browser';

describe('the home page lists live streams and lets a development creator go live', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  it('a creator signs in, goes live, gets an overlay URL, and their stream shows in the list', async () => {
    const other = await s.createUser({ displayName: 'Early Bird' });
    await s.request('POST', '/v1/streams', { token: other.token, body: { title: 'Morning show' } });

    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${s.url}/`);
    await page.locator('[data-test=stream-card]', { hasText: 'Morning show' }).waitFor();
    await page.locator('#creator-name').fill('Nova');
    await page.locator('#creator-login button').click();
    await page.getByText('Signed in as').waitFor();
    await page.locator('#stream-title').fill('Night of gifts');
    await page.locator('#go-live button').click();
    await page.locator('[data-test=my-stream]').waitFor();
    await page.locator('[data-test=stream-card]', { hasText: 'Night of gifts' }).waitFor();

    await page.locator('#overlay-key').click();
    await page.locator('#overlay-out:not([hidden])').waitFor();
    const url = await page.locator('[data-test=overlay-url]').inputValue();
    expect(url).toMatch(new RegExp(`^${s.url}/overlay/live#key=[\\w-]{16,64}$`));
    await page.screenshot({ path: artifactPath('home.png') });

    // A reload keeps the creator signed in and finds their live stream again.
    await page.reload();
    await page.locator('[data-test=my-stream]', { hasText: 'Night of gifts' }).waitFor();
    const watchHref = await page.locator('#my-watch').getAttribute('href');
    expect(watchHref).toMatch(/^\/watch\/[0-9a-f-]{36}$/);

    await page.locator('#end-stream').click();
    await page.locator('#go-live').waitFor();
    await page.locator('[data-test=stream-card]', { hasText: 'Night of gifts' }).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});

describe('two creators start a gift war from their home pages', () => {
  let s: TestServer;
  let browser: Browser;
  usePageTestbed((bed) => ({ s, browser } = bed));

  async function goLive(name: string, title: string) {
    // A context per creator: each has their own local storage, like two people on two machines.
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);
    const errors = collectPageErrors(page);
    await page.goto(`${s.url}/`);
    await page.locator('#creator-name').fill(name);
    await page.locator('#creator-login button').click();
    await page.locator('#stream-title').fill(title);
    await page.locator('#go-live button').click();
    await page.locator('[data-test=my-stream]').waitFor();
    return { page, errors };
  }

  it('one challenges, the other accepts, and both see the battle bar; cancelling an invitation frees both', async () => {
    const nova = await goLive('Nova', 'Team Nova');
    const orion = await goLive('Orion', 'Team Orion');
    // Nova's live-streams list refreshes every 5 s; a reload shows Orion at once.
    await nova.page.reload();
    await nova.page.locator('[data-test=opponent] option', { hasText: 'Team Orion' }).waitFor({ state: 'attached' });

    await nova.page.locator('[data-test=challenge]').click();
    await nova.page.locator('[data-test=battle-state]', { hasText: 'Waiting for Team Orion' }).waitFor();
    await orion.page
      .locator('[data-test=battle-state]', { hasText: 'Team Nova challenges you to a 1-minute gift war!' })
      .waitFor();
    await nova.page.locator('[data-test=battle-cancel]').click();
    await orion.page.locator('[data-test=battle-state]', { hasText: 'The invitation was cancelled.' }).waitFor();

    await orion.page.reload();
    await orion.page.locator('[data-test=opponent] option', { hasText: 'Team Nova' }).waitFor({ state: 'attached' });
    await orion.page.locator('[data-test=challenge]').click();
    await nova.page.locator('[data-test=battle-accept]').click();
    for (const p of [nova.page, orion.page]) {
      await p.locator('[data-test=battle-bar]').waitFor();
      await p.locator('[data-test=battle-timer]', { hasText: /^(1:00|0:5\d)$/ }).waitFor();
    }
    await nova.page.screenshot({ path: artifactPath('home-battle.png') });
    expect([...nova.errors, ...orion.errors]).toEqual([]);
  });
});
