import { redisNow } from '../../../shared/domain/clock';
import { finishGift } from '../../../shared/domain/gift-room';
import { claimDueStreaks } from '../../../shared/domain/streaks';
import { startStream } from '../../../shared/domain/streams';
import { testDeps } from '../../../shared/testing/harness';
import { testAdult } from '../../../shared/testing/money';
import { heldGift } from '../../../shared/testing/held-gift';

/**
 * The streak's state as the room phase keeps it, with no poller running: gifts whose `at` are closer than the gap
 * make one streak; a gift at or past the deadline of a streak nobody has claimed yet starts a new one, and the old one
 * stays due on its own; a repeat of a gift counts nothing; each due streak is claimed exactly once.
 */
describe("a stream's streaks, kept by the room phase and claimed once", () => {
  const GAP = 3000;
  const deps = testDeps({ streakGapMs: GAP });
  afterAll(() => deps.close());

  it('splits streaks by the gap between gifts, keeps the unclaimed one due, and hands each out once', async () => {
    const creator = await testAdult(deps);
    const ann = await testAdult(deps, { displayName: 'Ann' });
    const streamId = (await startStream(deps, creator.id, 'streaks')).id;
    // long ago, so that every deadline below has passed by the time we claim
    const t = (await redisNow(deps)) - 10 * GAP;
    const gift = (giftId: string, count: number, at: number) =>
      heldGift({ senderId: ann.id, senderName: 'Ann', streamId, creatorId: creator.id, giftId, count, at });

    const first = gift('rose', 1, t);
    const rooms = [
      await finishGift(deps, first),
      await finishGift(deps, gift('rose', 2, t + 100)),
      await finishGift(deps, first), // a repeat: the stored verdict, nothing counted
      await finishGift(deps, gift('rose', 4, t + 100 + GAP)), // at the first streak's deadline: a new streak
      await finishGift(deps, gift('perfume', 1, t + 200)),
    ];
    expect(rooms.map((r) => [r.combo, r.firstRun])).toEqual([
      [1, true],
      [3, true],
      [1, false],
      [4, true],
      [1, true],
    ]);

    const { ended, nextInMs } = await claimDueStreaks(deps, streamId);
    expect(nextInMs).toBeNull();
    const sender = { id: ann.id, displayName: 'Ann' };
    expect(ended.sort((a, b) => a.firstAt - b.firstAt)).toEqual([
      { streamId, sender, giftId: 'rose', giftName: 'Rose', combo: 3, totalCoins: 3, firstAt: t, lastAt: t + 100 },
      {
        streamId,
        sender,
        giftId: 'perfume',
        giftName: 'Perfume',
        combo: 1,
        totalCoins: 20,
        firstAt: t + 200,
        lastAt: t + 200,
      },
      {
        streamId,
        sender,
        giftId: 'rose',
        giftName: 'Rose',
        combo: 4,
        totalCoins: 4,
        firstAt: t + 100 + GAP,
        lastAt: t + 100 + GAP,
      },
    ]);
    expect((await claimDueStreaks(deps, streamId)).ended).toEqual([]);
  });

  it('a streak not yet due stays: the claim answers how far off its deadline is', async () => {
    const creator = await testAdult(deps);
    const bob = await testAdult(deps);
    const streamId = (await startStream(deps, creator.id, 'not yet')).id;
    const now = await redisNow(deps);
    await finishGift(deps, heldGift({ senderId: bob.id, streamId, creatorId: creator.id, at: now }));
    const { ended, nextInMs } = await claimDueStreaks(deps, streamId);
    expect(ended).toEqual([]);
    expect(nextInMs).toBeGreaterThan(GAP - 1000);
    expect(nextInMs).toBeLessThanOrEqual(GAP);
    expect(await deps.redis.sismember(deps.keys.streakStreams, streamId)).toBe(1);
  });
});
