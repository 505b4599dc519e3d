import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream } from '../gifting/fixtures';
import { waitFor } from '../../../shared/testing/harness';
import {
  acceptedGifts,
  coinsShown,
  itemsOf,
  mostWithin,
  offerGifts,
  recordServerWrites,
  recordTimedFrames,
  unitsShown,
} from './fixtures';

const RATE = 500; // gifts a second offered
const SECONDS = 3;

/**
 * A gift war at 500 gifts a second for three seconds, default budget (10 frames a second of at most 20 items).
 * Watchers see a bounded, folded view that still shows every coin; the creator and the overlay see every gift.
 */
describe('a watcher in a gift war gets a bounded view that loses no coin', () => {
  let s: TestServer;
  beforeAll(async () => {
    // this story is about frames, not the per-user rate limit
    s = await startTestServer({ giftRatePerSec: 10_000, giftBurst: 10_000 });
  });
  afterAll(() => s.close());

  it('at most 10 frames a second of at most 20 items for each watcher, every gift for the creator and the overlay', async () => {
    expect(s.deps.config.watcherFramesPerSec).toBe(10);
    expect(s.deps.config.frameLimit).toBe(20);
    const { creator, streamId } = await liveStream(s, 'gift war');
    const creatorFrames = await recordTimedFrames(await s.connect({ token: creator.token }), streamId);
    const overlayKey = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    const overlayFrames = await recordTimedFrames(await s.connect({ overlayKey }), streamId);
    const anonymousSocket = await s.connect();
    const anonymous = await recordTimedFrames(anonymousSocket, streamId);
    const viewer = await fan(s, 0);
    const signedIn = await recordTimedFrames(viewer.socket, streamId);
    const written = new Map([
      [anonymous, recordServerWrites(s.giftwire.io, anonymousSocket, 'gifts')],
      [signedIn, recordServerWrites(s.giftwire.io, viewer.socket, 'gifts')],
    ]);
    const senders = await Promise.all(Array.from({ length: 25 }, () => fan(s, 1000)));

    const gifts = acceptedGifts(
      await offerGifts(
        senders.map((f) => f.socket),
        streamId,
        RATE,
        SECONDS * 1000,
        (i) => (i % 10 === 0 ? 'perfume' : i % 2 ? 'rose' : 'tiktok'),
      ),
    );
    const coins = gifts.reduce((n, g) => n + g.totalCoins, 0);

    // the creator's own socket and the overlay: every gift as its own item, each exactly once
    for (const frames of [creatorFrames, overlayFrames]) {
      await waitFor(
        () => itemsOf(frames).length,
        (n) => n >= gifts.length,
        20_000,
      );
      expect(new Set(itemsOf(frames).map((g) => g.id))).toEqual(new Set(gifts.map((g) => g.id)));
      expect(itemsOf(frames)).toHaveLength(gifts.length);
    }

    for (const frames of [anonymous, signedIn]) {
      await waitFor(
        () => coinsShown(frames),
        (n) => n >= coins,
        20_000,
      );
      // no coin lost, none shown twice, whatever was folded or summed into rest
      expect(coinsShown(frames)).toBe(coins);
      expect(unitsShown(frames)).toBe(gifts.length);
      expect(Math.max(...frames.map(({ frame }) => frame.items.length))).toBeLessThanOrEqual(20);
      // the server wrote at most 10 frames to this socket in any second, and the client read each of them
      const writes = written.get(frames)!;
      expect(mostWithin(writes, 1000)).toBeLessThanOrEqual(10);
      expect(frames).toHaveLength(writes.length);
      // the budget is what bounds them: the creator's socket, fed every tick, got more frames than any watcher
      expect(frames.length).toBeLessThan(creatorFrames.length);
    }
    // at 500 a second the watchers' frames were folded: fewer items than gifts
    expect(itemsOf(anonymous).length).toBeLessThan(gifts.length);
  }, 90_000);
});
