import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { User } from '../../../shared/contracts/users';
import { redisNow } from '../../../shared/domain/clock';
import { acceptGift, giftHoldArgs } from '../../../shared/domain/gifts';
import { finishGift } from '../../../shared/domain/gift-room';
import type { AcceptGiftInput } from '../../../shared/domain/gift-types';
import { outboxEntries } from '../../../shared/runtime/sweeper';
import { endStream } from '../../../shared/domain/streams';
import { patchUser } from '../../../shared/domain/users';
import { getWallet } from '../../../shared/domain/wallet';
import { dayNumber, userShard, weekNumber } from '../../../shared/redis/keys';
import { script } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import { liveStream, moneySnapshot, walletOf } from './fixtures';
import { fundViewer, fundedViewer, testAdult } from '../../../shared/testing/money';
import { heldGift } from '../../../shared/testing/held-gift';

const deps = testDeps();
afterAll(() => deps.close());

function send(sender: User, streamId: string, over: Partial<AcceptGiftInput> = {}) {
  return acceptGift(deps, {
    sender,
    streamId,
    giftId: 'rose',
    count: 1,
    idempotencyKey: randomUUID(),
    ...over,
  });
}

/**
 * Empties the user's gift rate bucket (the wallet's giftRateLevel and giftRateAt) for a minute: its last take stamped
 * in the future refills nothing.
 */
async function drainRate(u: User): Promise<void> {
  await deps.redis.hset(deps.keys.wallet(u.id), { giftRateLevel: '0', giftRateAt: String(Date.now() + 60_000) });
}

/** Fills the user's gift rate bucket again (an absent bucket is full). */
async function refillRate(u: User): Promise<void> {
  await deps.redis.hdel(deps.keys.wallet(u.id), 'giftRateLevel', 'giftRateAt');
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    if (err instanceof GiftwireError) return err.code;
    throw err;
  }
}

describe('a gift is accepted in a wallet phase and a room phase', () => {
  it('a fan sends 5 roses: coins move to held, the gift is recorded, queued and counted everywhere', async () => {
    const fan = await fundedViewer(deps, 100);
    const { creator, streamId } = await liveStream(deps);
    const before = await redisNow(deps);
    const res = await send(fan, streamId, { count: 5 });
    const now = res.gift.at; // Redis's clock, not this process's
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(await redisNow(deps));
    expect(res.gift).toEqual({
      id: expect.any(String),
      streamId,
      sender: { id: fan.id, displayName: fan.displayName },
      giftId: 'rose',
      giftName: 'Rose',
      coins: 1,
      count: 5,
      totalCoins: 5,
      combo: 5,
      at: now,
    });
    expect(res).toMatchObject({
      wallet: { coins: 95, heldCoins: 5 },
      replay: false,
      creatorId: creator.id,
      battleId: null,
    });
    expect(await walletOf(deps, fan.id)).toMatchObject({
      coins: 95,
      held: 5,
      purchased: 100,
      spent: 0,
      spentToday: 5,
      spentDay: dayNumber(now),
    });
    const k = deps.keys;
    expect(await deps.redis.hgetall(k.gift(res.gift.id))).toMatchObject({
      status: 'held',
      creatorId: creator.id,
      totalCoins: '5',
      at: String(now),
    });
    expect(await deps.redis.zscore(k.outbox(userShard(fan.id)), res.gift.id)).toBe(String(now));
    // the fan's history is ordered by the fan's own counter: the recharge was 1, this gift 2
    expect(await deps.redis.zscore(k.txs(fan.id), `gift_sent:${res.gift.id}`)).toBe('2');
    expect(await deps.redis.hmget(k.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['5', '1']);
    for (const board of [
      k.lbStream(streamId),
      k.lbCreatorDay(creator.id, dayNumber(now)),
      k.lbCreatorWeek(creator.id, weekNumber(now)),
      k.lbCreatorAll(creator.id),
    ]) {
      expect(await deps.redis.zrange(board, 0, -1)).toEqual([
        expect.stringMatching(new RegExp(`^999999999999994:\\d{15}:${fan.id}$`)),
      ]);
    }
  });

  it('combo counts the units of one gift in a streak; another gift starts its own streak', async () => {
    const fan = await fundedViewer(deps, 100);
    const { streamId } = await liveStream(deps);
    expect((await send(fan, streamId, { count: 2 })).gift.combo).toBe(2);
    expect((await send(fan, streamId, { count: 3 })).gift.combo).toBe(5);
    expect((await send(fan, streamId, { giftId: 'tiktok' })).gift.combo).toBe(1);
    expect((await send(fan, streamId)).gift.combo).toBe(6);
  });

  it('a streak ends after the gap', async () => {
    const quick = testDeps({ streakGapMs: 150 });
    try {
      const fan = await fundedViewer(quick, 10);
      const { streamId } = await liveStream(quick);
      const go = () =>
        acceptGift(quick, {
          sender: fan,
          streamId,
          giftId: 'rose',
          count: 1,
          idempotencyKey: randomUUID(),
        });
      expect((await go()).gift.combo).toBe(1);
      expect((await go()).gift.combo).toBe(2);
      await new Promise((r) => setTimeout(r, 300));
      expect((await go()).gift.combo).toBe(1);
    } finally {
      await quick.close();
    }
  });

  it('a repeat of the same key returns the same gift and moves nothing; another body is IDEMPOTENCY_CONFLICT', async () => {
    const fan = await fundedViewer(deps, 100);
    const { creator, streamId } = await liveStream(deps);
    const key = randomUUID();
    const first = await send(fan, streamId, { count: 3, idempotencyKey: key });
    const before = await moneySnapshot(deps, [fan.id, creator.id], streamId);
    const again = await send(fan, streamId, { count: 3, idempotencyKey: key });
    expect(again).toEqual({ ...first, replay: true });
    expect(await moneySnapshot(deps, [fan.id, creator.id], streamId)).toEqual(before);
    expect(await codeOf(send(fan, streamId, { count: 4, idempotencyKey: key }))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await codeOf(send(fan, streamId, { count: 3, giftId: 'tiktok', idempotencyKey: key }))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await moneySnapshot(deps, [fan.id, creator.id], streamId)).toEqual(before);
    // keys are per user: another fan may use the same key
    const other = await fundedViewer(deps, 10);
    expect((await send(other, streamId, { count: 3, idempotencyKey: key })).replay).toBe(false);
  });

  it('each phase run twice with the same ids moves money and counts the gift once', async () => {
    const fan = await fundedViewer(deps, 50);
    const { creator, streamId } = await liveStream(deps);
    const input = { sender: fan, streamId, giftId: 'finger-heart', count: 2, idempotencyKey: randomUUID() };
    const held = heldGift({ senderId: fan.id, streamId, creatorId: creator.id, giftId: 'finger-heart', count: 2 });
    const args = giftHoldArgs(deps, { ...input }, held, { name: 'Finger Heart', coins: 5 });
    const run = () => script(deps.redis, 'giftHold')(...args);
    const [first, second] = [await run(), await run()];
    expect(first[0]).toBe('OK');
    expect(second[0]).toBe('REPLAY');
    expect(JSON.parse(second[1] as string)).toEqual({ id: held.giftEventId, coins: '40', held: '10' });
    held.at = Number(first[1]);
    const rooms = [await finishGift(deps, held), await finishGift(deps, held)];
    expect(rooms[1]).toEqual({ ...rooms[0], firstRun: false });
    expect(rooms[0]).toMatchObject({ combo: 2, battleId: null, firstRun: true });
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 40, held: 10, spentToday: 10 });
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['10', '1']);
    expect(await deps.redis.zcard(deps.keys.txs(fan.id))).toBe(2); // the recharge and this one gift
    const streak = await deps.redis.hget(deps.keys.streaks(streamId), `${fan.id}:finger-heart`);
    expect(JSON.parse(streak!)).toMatchObject({ combo: '2', totalCoins: '10' });
    expect(await deps.redis.zrange(deps.keys.lbCreatorAll(creator.id), 0, -1)).toEqual([
      expect.stringMatching(new RegExp(`^999999999999989:\\d{15}:${fan.id}$`)),
    ]);
  });

  it('when the stream ends between the phases, the hold is voided before the refusal is answered', async () => {
    const fan = await fundedViewer(deps, 30);
    const { creator, streamId } = await liveStream(deps);
    await send(fan, streamId); // this process now holds the stream's view as live
    const money = async () => {
      const w = await walletOf(deps, fan.id);
      return {
        coins: w.coins,
        held: w.held,
        spent: w.spent,
        spentToday: w.spentToday,
        outbox: await outboxEntries(deps),
      };
    };
    await endStream(deps, streamId, creator.id); // the cached view does not know yet
    const before = await money();
    const key = randomUUID();
    await expect(send(fan, streamId, { count: 5, idempotencyKey: key })).rejects.toMatchObject({
      code: 'STREAM_NOT_LIVE',
    });
    expect(await money()).toEqual(before);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['1', '1']);
    const history = await deps.redis.zrange(deps.keys.txs(fan.id), 0, -1);
    expect(history.filter((m) => m.startsWith('gift_sent:'))).toHaveLength(1);
    // the same key again answers the same refusal and still moves nothing
    await expect(send(fan, streamId, { count: 5, idempotencyKey: key })).rejects.toMatchObject({
      code: 'STREAM_NOT_LIVE',
    });
    expect(await money()).toEqual(before);
  });

  it('when 1,000 holds race for 500 coins, exactly 500 are accepted and the balance never goes negative', async () => {
    const fan = await fundedViewer(deps, 500);
    const { streamId } = await liveStream(deps);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        send(fan, streamId).then(
          (r) => r,
          (e: GiftwireError) => e,
        ),
      ),
    );
    const ok = results.filter((r) => !(r instanceof Error));
    const refused = results.filter((r) => r instanceof GiftwireError);
    expect(ok).toHaveLength(500);
    expect(refused).toHaveLength(500);
    expect(new Set(refused.map((e) => (e as GiftwireError).code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
    for (const r of ok) expect((r as { wallet: { coins: number } }).wallet.coins).toBeGreaterThanOrEqual(0);
    expect(new Set(ok.map((r) => (r as { wallet: { coins: number } }).wallet.coins)).size).toBe(500);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 0, held: 500, purchased: 500 });
    expect((await outboxEntries(deps)).length).toBeGreaterThanOrEqual(500);
    expect(await deps.redis.hget(deps.keys.stream(streamId), 'giftCount')).toBe('500');
  });
});

describe('a refused gift changes nothing, and the first applicable error wins', () => {
  let fan: User;
  let creator: User;
  let streamId: string;
  beforeAll(async () => {
    fan = await fundedViewer(deps, 20);
    ({ creator, streamId } = await liveStream(deps));
  });

  async function refused(
    expected: string,
    attempt: () => Promise<unknown>,
    who: User[] = [fan, creator],
    sid = streamId,
  ) {
    const before = await moneySnapshot(
      deps,
      who.map((u) => u.id),
      sid,
    );
    expect(await codeOf(attempt())).toBe(expected);
    expect(
      await moneySnapshot(
        deps,
        who.map((u) => u.id),
        sid,
      ),
    ).toEqual(before);
  }

  it.each([0, 100, 1.5, -1])('count %p is VALIDATION_FAILED', (count) =>
    refused('VALIDATION_FAILED', () => send(fan, streamId, { count })),
  );

  it('an unknown gift is NOT_FOUND', () => refused('NOT_FOUND', () => send(fan, streamId, { giftId: 'unicorn' })));

  it('an unknown stream is NOT_FOUND', () => refused('NOT_FOUND', () => send(fan, randomUUID())));

  it('a minor is AGE_RESTRICTED', async () => {
    const minor = await testAdult(deps, { birthDate: `${new Date().getUTCFullYear() - 16}-01-01` });
    await refused('AGE_RESTRICTED', () => send(minor, streamId), [minor, creator]);
  });

  it('a creator gifting their own stream is SELF_GIFT, even when broke and rate limited', async () => {
    await drainRate(creator);
    await refused('SELF_GIFT', () => send(creator, streamId, { count: 99 }));
  });

  it('an ended stream is STREAM_NOT_LIVE (before funds and limits)', async () => {
    const ended = await liveStream(deps);
    await endStream(deps, ended.streamId, ended.creator.id);
    await drainRate(fan);
    await refused(
      'STREAM_NOT_LIVE',
      () => send(fan, ended.streamId, { count: 99 }),
      [fan, ended.creator],
      ended.streamId,
    );
  });

  it('too few coins is INSUFFICIENT_FUNDS (before limits and rate)', async () => {
    const limited = await fundedViewer(deps, 10);
    await patchUser(deps, limited.id, { dailySpendLimitCoins: 5 });
    await drainRate(limited);
    await refused('INSUFFICIENT_FUNDS', () => send(limited, streamId, { count: 11 }), [limited, creator]);
  });

  it('passing the daily limit is SPEND_LIMIT_EXCEEDED (before rate)', async () => {
    const limited = await fundedViewer(deps, 10);
    await patchUser(deps, limited.id, { dailySpendLimitCoins: 5 });
    await send(limited, streamId, { count: 5 });
    await drainRate(limited);
    await refused('SPEND_LIMIT_EXCEEDED', () => send(limited, streamId, {}), [limited, creator]);
  });

  it('a rate-limited sender is RATE_LIMITED, last', async () => {
    await drainRate(fan);
    await refused('RATE_LIMITED', () => send(fan, streamId));
    await refillRate(fan);
  });

  it('a reused key with another request is IDEMPOTENCY_CONFLICT, before every other check', async () => {
    const key = randomUUID();
    await send(fan, streamId, { idempotencyKey: key });
    await drainRate(fan);
    await refused('IDEMPOTENCY_CONFLICT', () => send(fan, randomUUID(), { idempotencyKey: key, count: 99 }));
  });

  it('a refused request binds nothing: the same key works once the fan has the coins', async () => {
    const poor = await fundedViewer(deps, 1);
    const key = randomUUID();
    expect(await codeOf(send(poor, streamId, { count: 2, idempotencyKey: key }))).toBe('INSUFFICIENT_FUNDS');
    await fundViewer(deps, poor, 1);
    expect((await send(poor, streamId, { count: 2, idempotencyKey: key })).wallet).toEqual({ coins: 0, heldCoins: 2 });
  });
});

describe("the daily limit counts UTC days, by Redis's clock", () => {
  it("yesterday's spending does not count today; today's does", async () => {
    const fan = await fundedViewer(deps, 100);
    await patchUser(deps, fan.id, { dailySpendLimitCoins: 10 });
    const { streamId } = await liveStream(deps);
    const today = dayNumber(await redisNow(deps));
    // the wallet as yesterday left it: the limit spent in full
    await deps.redis.hset(deps.keys.wallet(fan.id), 'spentDay', today - 1, 'spentToday', 10);
    expect((await getWallet(deps, fan.id)).spentTodayCoins).toBe(0);
    const first = await send(fan, streamId, { count: 8 });
    expect(dayNumber(first.gift.at)).toBe(today);
    expect(await codeOf(send(fan, streamId, { count: 5 }))).toBe('SPEND_LIMIT_EXCEEDED');
    expect(await getWallet(deps, fan.id)).toMatchObject({
      spentTodayCoins: 8,
      coins: 92,
      heldCoins: 8,
      dailySpendLimitCoins: 10,
    });
    expect(await walletOf(deps, fan.id)).toMatchObject({ spentDay: today, spentToday: 8 });
    await send(fan, streamId, { count: 2 });
    expect(await codeOf(send(fan, streamId))).toBe('SPEND_LIMIT_EXCEEDED');
  });
});

describe('gifts during a battle count for their side', () => {
  /** A battle as battle-accept leaves it: the window copied into both streams, by Redis's clock. */
  async function battle(aStream: string, bStream: string, startedAt: number, endsAt: number): Promise<string> {
    const id = randomUUID();
    await deps.redis.hset(deps.keys.battle(id), { id, status: 'active', aStream, bStream, startedAt, endsAt });
    for (const sid of [aStream, bStream]) {
      await deps.redis.hset(deps.keys.stream(sid), { battleId: id, battleStartedAt: startedAt, battleEndsAt: endsAt });
    }
    return id;
  }
  const score = (id: string, streamId: string) => deps.redis.hget(deps.keys.battleSide(id, streamId), 'score');

  it('an active battle adds the gift to its side and its MVP board; a cached stream view is refreshed', async () => {
    const fan = await fundedViewer(deps, 100);
    const a = await liveStream(deps);
    const b = await liveStream(deps);
    await send(fan, b.streamId); // caches b's view with no battle
    const now = await redisNow(deps);
    const id = await battle(a.streamId, b.streamId, now - 1000, now + 60_000);
    const res = await send(fan, b.streamId, { count: 7 });
    expect(res.battleId).toBe(id);
    expect([await score(id, a.streamId), await score(id, b.streamId)]).toEqual([null, '7']);
    const mvp = deps.keys.lbBattleSide(id, b.streamId);
    expect(await deps.redis.zrange(mvp, 0, -1)).toEqual([expect.stringContaining(fan.id)]);
    await send(fan, a.streamId, { count: 2 });
    expect([await score(id, a.streamId), await score(id, b.streamId)]).toEqual(['2', '7']);
  });

  it('outside the battle window a gift scores nothing', async () => {
    const fan = await fundedViewer(deps, 100);
    const a = await liveStream(deps);
    const b = await liveStream(deps);
    const now = await redisNow(deps);
    const id = await battle(a.streamId, b.streamId, now - 60_000, now);
    const res = await send(fan, a.streamId, { count: 3 });
    expect(res.battleId).toBeNull();
    expect(await score(id, a.streamId)).toBeNull();
  });
});
