import type { GiftSendAck } from '../../../shared/contracts/socket';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, itemsOf, liveStream, recordFrames, send } from './fixtures';

const SENDERS = 20;
const PER_SENDER = 100;
const TOTAL = SENDERS * PER_SENDER;

describe('a 2,000-gift burst', () => {
  let s: TestServer;
  beforeAll(async () => {
    // this story is about delivery, not the rate limit
    s = await startTestServer({ giftRatePerSec: 10_000, giftBurst: 10_000 });
  });
  afterAll(() => s.close());

  it("reaches the creator's socket and overlay gift by gift, each exactly once, while watchers get folded frames that lose nothing", async () => {
    const { creator, streamId } = await liveStream(s);
    const creatorFrames = await recordFrames(await s.connect({ token: creator.token }), streamId);
    const overlayKey = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    const overlayFrames = await recordFrames(await s.connect({ overlayKey }), streamId);
    const watcherFrames = await recordFrames(await s.connect(), streamId);
    const fans = await Promise.all(Array.from({ length: SENDERS }, () => fan(s, PER_SENDER)));

    const acks = await Promise.all(
      fans.flatMap((f) =>
        Array.from({ length: PER_SENDER }, (_, i) => send(f.socket, streamId, i % 2 ? 'rose' : 'tiktok')),
      ),
    );
    const gifts = acks.map((a) => {
      if (!a.ok) throw new Error(JSON.stringify(a));
      return (a as GiftSendAck).gift;
    });

    const creatorItems = await waitFor(
      () => itemsOf(creatorFrames),
      (items) => items.length >= TOTAL,
      20_000,
    );
    expect(creatorItems).toHaveLength(TOTAL);
    expect(new Set(creatorItems.map((g) => g.id))).toEqual(new Set(gifts.map((g) => g.id)));
    expect(creatorItems.every((g) => g.count === 1)).toBe(true);
    const overlayItems = await waitFor(
      () => itemsOf(overlayFrames),
      (items) => items.length >= TOTAL,
      20_000,
    );
    expect(overlayItems).toEqual(creatorItems);
    // one frame per tick, not one per gift, in the room's order (the seq its room phase gave each gift)
    expect(creatorFrames.length).toBeLessThan(TOTAL);
    const verdicts = await Promise.all(
      creatorItems.map((g) => s.deps.redis.get(s.deps.keys.roomGift(g.streamId, g.id))),
    );
    const seqs = verdicts.map((v) => Number((JSON.parse(v!) as { seq: string }).seq));
    expect(seqs.every((q, i) => i === 0 || q > seqs[i - 1]!)).toBe(true);

    // watchers: every unit is either in an item or in rest, and no frame is longer than the limit
    const units = (frames: typeof watcherFrames) =>
      frames.reduce((n, f) => n + f.items.reduce((m, i) => m + i.count, 0) + (f.rest?.gifts ?? 0), 0);
    await waitFor(
      () => units(watcherFrames),
      (n) => n >= TOTAL,
      20_000,
    );
    expect(units(watcherFrames)).toBe(TOTAL);
    expect(watcherFrames.every((f) => f.items.length <= s.deps.config.frameLimit)).toBe(true);
    const coins = watcherFrames.reduce(
      (n, f) => n + f.items.reduce((m, i) => m + i.totalCoins, 0) + (f.rest?.coins ?? 0),
      0,
    );
    expect(coins).toBe(TOTAL);
    // and nothing arrived twice later on
    expect(itemsOf(creatorFrames)).toHaveLength(TOTAL);
    expect(itemsOf(overlayFrames)).toHaveLength(TOTAL);
  });
});
