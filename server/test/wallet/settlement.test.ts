import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import { acceptGift } from '../../../shared/domain/gifts';
import { settleGift, settleGifts, voidGift } from '../../../shared/domain/settlement';
import { getWallet } from '../../../shared/domain/wallet';
import { redisNow } from '../../../shared/domain/clock';
import { userShard } from '../../../shared/redis/keys';
import { script } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import type { Deps } from '../../../shared/domain/deps';
import { liveStream, walletOf } from './fixtures';
import { fundedViewer } from '../../../shared/testing/money';

const deps = testDeps();
afterAll(() => deps.close());

async function gift(d: Deps, sender: User, streamId: string, giftId = 'rose', count = 1) {
  return (await acceptGift(d, { sender, streamId, giftId, count, idempotencyKey: randomUUID() })).gift;
}

describe('a held gift is posted exactly once', () => {
  it('settling moves held to spent, credits the creator, marks the gift and leaves a gift_received entry', async () => {
    const fan = await fundedViewer(deps, 100);
    const { creator, streamId } = await liveStream(deps);
    const g = await gift(deps, fan, streamId, 'finger-heart', 3); // 15 coins
    const before = await redisNow(deps);
    expect(await settleGift(deps, g.id)).toEqual({ giftEventId: g.id, outcome: 'settled', diamonds: 7 });
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 85, held: 0, spent: 15, purchased: 100 });
    expect(await walletOf(deps, creator.id)).toMatchObject({ received: 15, diamondsEarned: 7, diamonds: 7 });
    const record = await deps.redis.hgetall(deps.keys.gift(g.id));
    expect(record).toMatchObject({ status: 'settled', diamonds: '7' });
    expect(Number(record.settledAt)).toBeGreaterThanOrEqual(before);
    expect(await deps.redis.zscore(deps.keys.outbox(userShard(fan.id)), g.id)).toBeNull();
    expect(await deps.redis.zrange(deps.keys.txs(creator.id), 0, -1)).toEqual([`gift_received:${g.id}`]);
    expect(await deps.redis.hgetall(deps.keys.credit(creator.id, g.id))).toMatchObject({
      totalCoins: '15',
      diamonds: '7',
      senderId: fan.id,
    });
    expect((await getWallet(deps, creator.id)).diamonds).toBe(7);
  });

  it('settling again (a redelivered job) is a no-op that reports the first result', async () => {
    const fan = await fundedViewer(deps, 100);
    const { creator, streamId } = await liveStream(deps);
    const g = await gift(deps, fan, streamId, 'rose', 9);
    await settleGift(deps, g.id);
    const before = [await walletOf(deps, fan.id), await walletOf(deps, creator.id)];
    expect(await settleGift(deps, g.id)).toEqual({ giftEventId: g.id, outcome: 'already-settled', diamonds: 4 });
    expect(await settleGifts(deps, [g.id, g.id])).toEqual([
      { giftEventId: g.id, outcome: 'already-settled', diamonds: 4 },
      { giftEventId: g.id, outcome: 'already-settled', diamonds: 4 },
    ]);
    expect([await walletOf(deps, fan.id), await walletOf(deps, creator.id)]).toEqual(before);
  });

  it("each half run twice moves money once, and a crash between the creator's and the sender's half is finished", async () => {
    const fan = await fundedViewer(deps, 100);
    const { creator, streamId } = await liveStream(deps);
    const g = await gift(deps, fan, streamId, 'rose', 5);
    const k = deps.keys;
    const credit = () =>
      script(deps.redis, 'giftCredit')(
        k.credit(creator.id, g.id),
        k.wallet(creator.id),
        k.txs(creator.id),
        k.earningsHold(creator.id),
        g.id,
        fan.id,
        5,
        1,
        2,
        0,
      );
    expect(await credit()).toEqual(['OK', '2']);
    expect(await credit()).toEqual(['REPLAY', '2']);
    // the settling process died here: the creator is paid, the fan's coins are still held
    expect(await walletOf(deps, fan.id)).toMatchObject({ held: 5, spent: 0 });
    expect(await settleGift(deps, g.id)).toEqual({ giftEventId: g.id, outcome: 'settled', diamonds: 2 });
    const post = () =>
      script(deps.redis, 'giftSettle')(
        k.gift(g.id),
        k.wallet(fan.id),
        k.outbox(userShard(fan.id)),
        k.webhookOutbox(`u${userShard(fan.id)}`),
        g.id,
        fan.id,
        2,
        '',
      );
    expect(await post()).toEqual(['REPLAY', 'settled', '2']);
    expect(await walletOf(deps, fan.id)).toMatchObject({ held: 0, spent: 5 });
    expect(await walletOf(deps, creator.id)).toMatchObject({ received: 5, diamondsEarned: 2, diamonds: 2 });
    expect(await deps.redis.zcard(k.txs(creator.id))).toBe(1);
  });

  it('many small gifts earn exactly the diamonds one big gift of the same total earns (the fraction carries)', async () => {
    const { creator: small, streamId: smallStream } = await liveStream(deps);
    const { creator: big, streamId: bigStream } = await liveStream(deps);
    const fan = await fundedViewer(deps, 2 * 101);
    const roses = await Promise.all(Array.from({ length: 101 }, () => gift(deps, fan, smallStream)));
    const one = await gift(deps, fan, bigStream, 'rose', 99);
    const two = await gift(deps, fan, bigStream, 'rose', 2);
    const results = await settleGifts(
      deps,
      roses.map((r) => r.id),
    );
    expect(results.every((r) => r.outcome === 'settled')).toBe(true);
    expect(results.reduce((sum, r) => sum + r.diamonds, 0)).toBe(50);
    await settleGifts(deps, [one.id, two.id]);
    expect(await walletOf(deps, small.id)).toMatchObject({ received: 101, diamondsEarned: 50, diamonds: 50 });
    expect(await walletOf(deps, big.id)).toMatchObject({ received: 101, diamondsEarned: 50, diamonds: 50 });
  });

  it('the same holds at any configured rate, e.g. 7/10', async () => {
    const d = testDeps({ diamondRate: { num: 7, den: 10 } });
    try {
      const { creator, streamId } = await liveStream(d);
      const fan = await fundedViewer(d, 1000);
      const gifts = [];
      for (const [id, count] of [
        ['rose', 3],
        ['finger-heart', 1],
        ['rose', 1],
        ['rose', 7],
      ] as const)
        gifts.push(await gift(d, fan, streamId, id, count));
      for (const g of gifts) await settleGift(d, g.id);
      // 3, 5, 1, 7 coins: received 16, floor(16 * 0.7) = 11, credited 2 + 3 + 1 + 5 as the fraction carries
      expect(await walletOf(d, creator.id)).toMatchObject({ received: 16, diamondsEarned: 11, diamonds: 11 });
    } finally {
      await d.close();
    }
  });

  it('diamonds stay exact for huge totals received (no float rounding)', async () => {
    const d = testDeps({ diamondRate: { num: 999, den: 1000 } });
    try {
      const { creator, streamId } = await liveStream(d);
      const fan = await fundedViewer(d, 34_999 * 99);
      const received = 2 ** 52 + 1; // far past what a double can multiply by 999 exactly
      await d.redis.hset(d.keys.wallet(creator.id), 'received', String(received));
      const g = await gift(d, fan, streamId, 'universe', 99);
      const t = BigInt(34_999 * 99);
      const expected = ((BigInt(received) + t) * 999n) / 1000n - (BigInt(received) * 999n) / 1000n;
      expect(await settleGift(d, g.id)).toMatchObject({ outcome: 'settled', diamonds: Number(expected) });
      expect(await d.redis.hget(d.keys.wallet(creator.id), 'received')).toBe(String(BigInt(received) + t));
    } finally {
      await d.close();
    }
  });

  it('an unknown gift id is reported missing, not thrown', async () => {
    expect(await settleGift(deps, randomUUID())).toMatchObject({ outcome: 'missing', diamonds: 0 });
  });
});

describe('a held gift can be voided instead: its coins go back', () => {
  it("voiding returns the coins, the day's spending, leaves the outbox and the history; twice is a no-op", async () => {
    const fan = await fundedViewer(deps, 50);
    const { creator, streamId } = await liveStream(deps);
    const g = await gift(deps, fan, streamId, 'rose', 20);
    expect(await voidGift(deps, g.id)).toBe('voided');
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 50, held: 0, spent: 0, spentToday: 0, purchased: 50 });
    expect(await deps.redis.hget(deps.keys.gift(g.id), 'status')).toBe('voided');
    expect(await deps.redis.zscore(deps.keys.outbox(userShard(fan.id)), g.id)).toBeNull();
    expect(await deps.redis.zscore(deps.keys.txs(fan.id), `gift_sent:${g.id}`)).toBeNull();
    expect(await voidGift(deps, g.id)).toBe('already-voided');
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 50, held: 0 });
    expect(await settleGift(deps, g.id)).toMatchObject({ outcome: 'voided' });
    expect(await walletOf(deps, creator.id)).toMatchObject({ received: 0, diamonds: 0 });
  });

  it('a settled gift cannot be voided (CONFLICT); an unknown one is NOT_FOUND', async () => {
    const fan = await fundedViewer(deps, 50);
    const { streamId } = await liveStream(deps);
    const g = await gift(deps, fan, streamId);
    await settleGift(deps, g.id);
    await expect(voidGift(deps, g.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(voidGift(deps, randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 49, held: 0, spent: 1 });
  });
});
