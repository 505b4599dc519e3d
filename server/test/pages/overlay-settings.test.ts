import type { TestSocket } from '../../../shared/testing/harness';
import { emitAck } from '../../../shared/testing/harness';
import { DEFAULT_OVERLAY_SETTINGS, type TestAlertEvent } from '../../../shared/contracts/overlay-settings';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveCreator } from './fixtures';

/*
 * A creator's overlay settings live on the server: the studio saves them with the creator's token, the overlay reads
 * them with its key, and a save reaches that creator's open overlays at once. The test alert plays on those
 * overlays only and moves no money.
 */
describe('a creator styles their overlay and tries it with a test alert', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  /** Resolves with the next `event` on `socket`, or null if none comes within `ms`. */
  const next = <T>(socket: TestSocket, event: 'overlay:settings' | 'overlay:test' | 'gifts', ms = 1500) =>
    new Promise<T | null>((resolve) => {
      const timer = setTimeout(() => {
        socket.off(event);
        resolve(null);
      }, ms);
      socket.once(event, (payload: unknown) => {
        clearTimeout(timer);
        resolve(payload as T);
      });
    });

  const styled = {
    minCoins: 100,
    position: 'top',
    font: 'impact',
    accentColor: '#00e0ff',
    textColor: '#fffbe6',
    muted: false,
    volume: 40,
    sounds: { small: 'none', medium: 'coins', large: 'chime', epic: 'fanfare' },
    variations: [
      { giftId: 'universe', message: '{name} bought the {gift}!', sound: 'cosmic', color: '#ff00aa', durationScale: 2 },
      { minCoins: 5000, message: 'Big spender {name}' },
    ],
  };

  it('starts from the defaults, saves a whole new style, and pushes it to open overlays only', async () => {
    const nova = await liveCreator(s, 'Nova', 'Styled');
    const orion = await liveCreator(s, 'Orion', 'Other');

    const first = await s.request('GET', '/v1/overlay-settings', { token: nova.token });
    expect(first.status).toBe(200);
    expect(first.body.settings).toEqual(DEFAULT_OVERLAY_SETTINGS);

    const novaOverlay = await s.connect({ overlayKey: nova.overlayKey });
    const orionOverlay = await s.connect({ overlayKey: orion.overlayKey });
    const novaPush = next<{ settings: unknown }>(novaOverlay, 'overlay:settings');
    const orionPush = next(orionOverlay, 'overlay:settings');

    const put = await s.request('PUT', '/v1/overlay-settings', { token: nova.token, body: styled });
    expect(put.status).toBe(200);
    // Defaults are filled in (a variation's durationScale), nothing else changes.
    const saved = {
      ...styled,
      variations: [styled.variations[0], { ...styled.variations[1], durationScale: 1 }],
    };
    expect(put.body.settings).toEqual(saved);
    expect((await novaPush)?.settings).toEqual(saved);
    expect(await orionPush).toBeNull();

    // The overlay reads them with its key; the other creator still has the defaults.
    const byKey = await s.request('GET', '/v1/overlay/settings', { headers: { 'x-overlay-key': nova.overlayKey } });
    expect(byKey.body.settings).toEqual(saved);
    expect((await s.request('GET', '/v1/overlay-settings', { token: orion.token })).body.settings).toEqual(
      DEFAULT_OVERLAY_SETTINGS,
    );
  });

  it('refuses what does not fit the schema, and changes nothing', async () => {
    const { token } = await s.createUser({ displayName: 'Vega' });
    const bad = [
      { ...styled, accentColor: 'red' },
      { ...styled, volume: 101 },
      { ...styled, position: 'left' },
      { ...styled, sounds: { ...styled.sounds, epic: 'airhorn.mp3' } },
      { ...styled, variations: [{ message: 'matches nothing' }] },
      { ...styled, variations: [{ minCoins: 1, message: 'bidi \u202e trick' }] },
      { ...styled, css: 'body { display: none }' },
    ];
    for (const body of bad) {
      const res = await s.request('PUT', '/v1/overlay-settings', { token, body });
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await s.request('GET', '/v1/overlay-settings', { token })).body.settings).toEqual(DEFAULT_OVERLAY_SETTINGS);
    // Validation comes before identity, as everywhere.
    expect((await s.request('PUT', '/v1/overlay-settings', { body: { volume: -1 } })).status).toBe(400);
    expect((await s.request('PUT', '/v1/overlay-settings', { body: styled })).status).toBe(401);
    expect((await s.request('GET', '/v1/overlay-settings')).status).toBe(401);
    const wrongKey = await s.request('GET', '/v1/overlay/settings', { headers: { 'x-overlay-key': 'x'.repeat(32) } });
    expect([wrongKey.status, wrongKey.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it("a test alert plays every tier on the creator's own overlays, marked as a test, and moves no money", async () => {
    const nova = await liveCreator(s, 'Nova', 'Testing');
    const orion = await liveCreator(s, 'Orion', 'Not me');
    const novaOverlay = await s.connect({ overlayKey: nova.overlayKey });
    const orionOverlay = await s.connect({ overlayKey: orion.overlayKey });
    const watcher = await s.connect();
    expect((await emitAck(watcher, 'stream:join', { streamId: nova.stream.id })).ok).toBe(true);
    expect((await emitAck(novaOverlay, 'stream:join', { streamId: nova.stream.id })).ok).toBe(true);

    const wallet = async () => (await s.request('GET', '/v1/wallet', { token: nova.token })).body;
    const before = await wallet();
    const novaTest = next<TestAlertEvent>(novaOverlay, 'overlay:test');
    const orionTest = next(orionOverlay, 'overlay:test');
    const watcherGifts = next(watcher, 'gifts');
    const watcherTest = next(watcher, 'overlay:test');

    const res = await s.request('POST', '/v1/overlay/test-alert', { token: nova.token, body: {} });
    expect(res.status).toBe(202);
    const got = await novaTest;
    expect(got?.test).toBe(true);
    expect(got?.items.map((g) => g.giftId)).toEqual(['doughnut', 'corgi', 'sports-car', 'universe']);
    for (const g of got!.items) {
      expect(g.id).toMatch(/^test-/);
      expect(g.streamId).toBe(nova.stream.id);
      expect(g.totalCoins).toBe(g.coins * g.count);
    }
    expect(await orionTest).toBeNull();
    expect(await watcherTest).toBeNull();
    expect(await watcherGifts).toBeNull();

    // No money, no counters: the wallet, the stream's total and its leaderboard are as they were.
    expect(await wallet()).toEqual(before);
    const stream = await s.request('GET', `/v1/streams/${nova.stream.id}`);
    expect(stream.body.totalCoins).toBe(0);
    const board = await s.request('GET', `/v1/streams/${nova.stream.id}/leaderboard`);
    expect(board.body.items).toEqual([]);

    // One tier alone; a tier that does not exist is refused.
    const one = next<TestAlertEvent>(novaOverlay, 'overlay:test');
    expect(
      (await s.request('POST', '/v1/overlay/test-alert', { token: nova.token, body: { tier: 'epic' } })).status,
    ).toBe(202);
    expect((await one)?.items.map((g) => g.giftId)).toEqual(['universe']);
    const wrong = await s.request('POST', '/v1/overlay/test-alert', { token: nova.token, body: { tier: 'legendary' } });
    expect(wrong.status).toBe(400);
    expect((await s.request('POST', '/v1/overlay/test-alert', { body: {} })).status).toBe(401);
  });

  it('a creator who is offline can still try the overlay: the test alert carries no stream', async () => {
    const { token } = await s.createUser({ displayName: 'Lyra' });
    const key = (await s.request('POST', '/v1/overlay-key', { token })).body.overlayKey as string;
    const overlay = await s.connect({ overlayKey: key });
    const got = next<TestAlertEvent>(overlay, 'overlay:test');
    await s.request('POST', '/v1/overlay/test-alert', { token, body: { tier: 'small' } });
    expect((await got)?.items).toEqual([
      expect.objectContaining({ streamId: '', giftId: 'doughnut', count: 5, combo: 5, sender: expect.anything() }),
    ]);
  });
});
