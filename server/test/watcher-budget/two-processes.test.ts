import { testConfig } from '../../../shared/config';
import { connectSocket, testRedisUrl, uniquePrefix, waitFor, type TestSocket } from '../../../shared/testing/harness';
import {
  callJson as json,
  killAllEntries,
  startServerProcess,
  type ServerProcess,
} from '../../../shared/testing/processes';
import { recharge } from '../gifting/fixtures';
import { acceptedGifts, coinsShown, itemsOf, offerGifts, recordTimedFrames, unitsShown } from './fixtures';

/**
 * Two server processes accept gifts for the same stream at once. Each process sees every gift of its rooms (its
 * own, and the other's relayed through Redis) and writes frames only to its own sockets, so a watcher's budget is
 * one budget, not one per process; the creator's socket on one process and the overlay on the other each get
 * every gift, whichever process accepted it.
 */
describe('the watcher budget holds across server processes', () => {
  const prefix = uniquePrefix();
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: TestSocket[] = [];
  const socket = async (url: string, auth: Record<string, unknown> = {}) => {
    const s = await connectSocket(url, auth);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix, GIFT_RATE_PER_SEC: '10000', GIFT_BURST: '10000' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 40_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllEntries();
  });

  it('a watcher on either process gets one budget of frames and every coin; creator and overlay every gift', async () => {
    const admin = testConfig().adminToken;
    const user = async (displayName: string) =>
      (await json(`${a.url}/v1/admin/users`, 'POST', { displayName, birthDate: '1990-01-01', verified: true }, admin))
        .body as { user: { id: string }; token: string };
    const creator = await user('Creator');
    const streamId = (await json(`${a.url}/v1/streams`, 'POST', { title: 'two processes' }, creator.token)).body.stream
      .id as string;
    const overlayKey = (await json(`${a.url}/v1/overlay-key`, 'POST', undefined, creator.token)).body.overlayKey;

    const creatorFrames = await recordTimedFrames(await socket(a.url, { token: creator.token }), streamId);
    const overlayFrames = await recordTimedFrames(await socket(b.url, { overlayKey }), streamId);
    const watcherOnA = await recordTimedFrames(await socket(a.url), streamId);
    const watcherOnB = await recordTimedFrames(await socket(b.url), streamId);

    const senders: TestSocket[] = [];
    for (let i = 0; i < 16; i++) {
      const fan = await user(`Fan ${i}`);
      await recharge(a.url, fan.token, 5000);
      // half the fans send through each process
      senders.push(await socket(i % 2 ? b.url : a.url, { token: fan.token }));
    }

    const gifts = acceptedGifts(await offerGifts(senders, streamId, 300, 3000, (i) => (i % 4 ? 'rose' : 'perfume')));
    const coins = gifts.reduce((n, g) => n + g.totalCoins, 0);

    for (const frames of [creatorFrames, overlayFrames]) {
      await waitFor(
        () => itemsOf(frames).length,
        (n) => n >= gifts.length,
        20_000,
      );
      expect(new Set(itemsOf(frames).map((g) => g.id))).toEqual(new Set(gifts.map((g) => g.id)));
      expect(itemsOf(frames)).toHaveLength(gifts.length);
    }

    for (const frames of [watcherOnA, watcherOnB]) {
      await waitFor(
        () => coinsShown(frames),
        (n) => n >= coins,
        20_000,
      );
      expect(coinsShown(frames)).toBe(coins);
      expect(unitsShown(frames)).toBe(gifts.length);
      expect(Math.max(...frames.map(({ frame }) => frame.items.length))).toBeLessThanOrEqual(20);
      // One budget: 10 frames a second over the war (plus the first), where a budget per process would allow 20.
      // Counted over the whole war, as read by this client: a single frame read late on this busy machine moves
      // the count by a fraction, not by one.
      const spanSec = (frames.at(-1)!.at - frames[0]!.at) / 1000;
      expect(frames.length).toBeLessThanOrEqual(Math.floor(10 * spanSec) + 1);
      expect(frames.length).toBeLessThan(creatorFrames.length);
    }
  }, 90_000);
});
