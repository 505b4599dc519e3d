import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { finishGift, type HeldGift } from '../../../shared/domain/gift-room';
import { acceptGift, giftHoldArgs } from '../../../shared/domain/gifts';
import { createGoal, getGoal } from '../../../shared/domain/goals';
import { script } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import { fundedViewer } from '../../../shared/testing/money';
import { liveStream, walletOf } from '../wallet/fixtures';
import { WALLET_PHASE, batchesDuring, callsDuring } from './batch-counts';
import { heldGift } from '../../../shared/testing/held-gift';

/**
 * Gifts that arrive together for one slot are applied in one Redis call (micro-batching), and each still gets its own
 * answer, as if it had been alone: the same checks in the same order, idempotent by its own key.
 */
const deps = testDeps();
afterAll(() => deps.close());

type Outcome = { ok: true; id: string; coins: number } | { ok: false; code: string };

function send(d: Deps, sender: User, streamId: string, key = randomUUID(), count = 1): Promise<Outcome> {
  return acceptGift(d, { sender, streamId, giftId: 'rose', count, idempotencyKey: key }).then(
    (r) => ({ ok: true, id: r.gift.id, coins: r.wallet.coins }),
    (err: unknown) => {
      if (err instanceof GiftwireError) return { ok: false, code: err.code };
      throw err;
    },
  );
}

/** A rose gift of `count` through its wallet phase only, as a process that went on to its room phase holds it. */
async function walletPhase(sender: User, streamId: string, creatorId: string, count: number): Promise<HeldGift> {
  const g = heldGift({ senderId: sender.id, streamId, creatorId, count, senderName: sender.displayName });
  const input = { sender, streamId, giftId: 'rose', count, idempotencyKey: randomUUID() };
  const r = await script(deps.redis, 'giftHold')(...giftHoldArgs(deps, input, g, { name: 'Rose', coins: 1 }));
  if (r[0] !== 'OK') throw new Error(`wallet phase refused: ${String(r[0])}`);
  g.at = Number(r[1]);
  return g;
}

describe('gifts that arrive together for one slot are applied in one call, each answered as if alone', () => {
  it('two devices of one fan race for the last coin inside one wallet-phase batch: exactly one is accepted', async () => {
    const fan = await fundedViewer(deps, 1);
    const { streamId } = await liveStream(deps);
    const [outcomes, batches] = await batchesDuring(WALLET_PHASE, () =>
      Promise.all([send(deps, fan, streamId), send(deps, fan, streamId)]),
    );
    expect(batches).toBe(1);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, code: 'INSUFFICIENT_FUNDS' }]);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 0, held: 1 });
  });

  it('one key sent twice inside one batch is one gift: the second answer replays the first', async () => {
    const fan = await fundedViewer(deps, 10);
    const { streamId } = await liveStream(deps);
    const key = randomUUID();
    const [outcomes, batches] = await batchesDuring(WALLET_PHASE, () =>
      Promise.all([send(deps, fan, streamId, key), send(deps, fan, streamId, key)]),
    );
    expect(batches).toBe(1);
    const [a, b] = outcomes as [Outcome & { ok: true }, Outcome & { ok: true }];
    expect(a.ok && b.ok).toBe(true);
    expect(b.id).toBe(a.id);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 9, held: 1 });
    expect(await deps.redis.hget(deps.keys.stream(streamId), 'giftCount')).toBe('1');
  });

  it('a batch keeps each gift in the order of errors: funds, then the rate, each refusal moving nothing', async () => {
    const strict = testDeps({ giftBurst: 2, giftRatePerSec: 1 });
    try {
      const fan = await fundedViewer(strict, 3);
      const { streamId } = await liveStream(strict);
      const [outcomes] = await batchesDuring(WALLET_PHASE, () =>
        Promise.all([
          send(strict, fan, streamId, randomUUID(), 2), // takes 2 coins and a token
          send(strict, fan, streamId, randomUUID(), 5), // too few coins left: INSUFFICIENT_FUNDS, no token spent
          send(strict, fan, streamId), // the last token
          send(strict, fan, streamId), // neither a coin nor a token left: funds rank first
        ]),
      );
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
        'ok',
        'INSUFFICIENT_FUNDS',
        'ok',
        'INSUFFICIENT_FUNDS',
      ]);
      const fan2 = await fundedViewer(strict, 10);
      const [rated] = await batchesDuring(WALLET_PHASE, () =>
        Promise.all([send(strict, fan2, streamId), send(strict, fan2, streamId), send(strict, fan2, streamId)]),
      );
      expect(rated.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'ok', 'RATE_LIMITED']);
      expect(await walletOf(strict, fan2.id)).toMatchObject({ coins: 8, held: 2 });
    } finally {
      await strict.close();
    }
  });

  it('twenty fans gifting one room at once: one room-phase call, each gift its own place, counted once', async () => {
    const { creator, streamId } = await liveStream(deps);
    const fans = await Promise.all(Array.from({ length: 20 }, () => fundedViewer(deps, 10)));
    const gifts = await Promise.all(fans.map((f) => walletPhase(f, streamId, creator.id, 2)));
    const [verdicts, calls] = await callsDuring('giftRoom', () => Promise.all(gifts.map((g) => finishGift(deps, g))));
    expect(calls).toEqual({ calls: 1, gifts: 20 });
    expect(verdicts.map((v) => v.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verdicts.every((v) => v.combo === 2 && v.firstRun)).toBe(true);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['40', '20']);
    expect(await deps.redis.zcard(deps.keys.lbStream(streamId))).toBe(20);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(20);

    // every gift is still idempotent on its own: the twenty room phases run again, batched again, count nothing
    const [again, callsAgain] = await callsDuring('giftRoom', () => Promise.all(gifts.map((g) => finishGift(deps, g))));
    expect(callsAgain).toEqual({ calls: 1, gifts: 20 });
    expect(again.map((v) => v.seq)).toEqual(verdicts.map((v) => v.seq));
    expect(again.every((v) => !v.firstRun)).toBe(true);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['40', '20']);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(20);
  });

  it('two fans racing for the last coin of a goal inside one batch: both are counted, exactly one reaches it', async () => {
    const { creator, streamId } = await liveStream(deps);
    const goal = await createGoal(deps, streamId, creator.id, { title: 'one more', targetCoins: 11 });
    const first = await fundedViewer(deps, 10);
    await acceptGift(deps, { sender: first, streamId, giftId: 'rose', count: 10, idempotencyKey: randomUUID() });
    const racers = await Promise.all([fundedViewer(deps, 1), fundedViewer(deps, 1)]);
    const gifts = await Promise.all(racers.map((f) => walletPhase(f, streamId, creator.id, 1)));
    const [verdicts, calls] = await callsDuring('giftRoom', () => Promise.all(gifts.map((g) => finishGift(deps, g))));
    expect(calls).toEqual({ calls: 1, gifts: 2 });
    expect(verdicts.map((v) => v.goalId)).toEqual([goal.id, goal.id]);
    expect(verdicts.filter((v) => v.reachedGoal)).toHaveLength(1);
    const reached = await getGoal(deps, goal.id);
    expect(reached).toMatchObject({ status: 'reached', progressCoins: 12 });
    expect(reached.reachedAt).toBe(gifts[verdicts.findIndex((v) => v.reachedGoal)]!.at);
  });

  it('one key sent twice at once through every phase: one gift, counted once, the repeat answered alike', async () => {
    const { streamId } = await liveStream(deps);
    const fan = await fundedViewer(deps, 10);
    const key = randomUUID();
    const [a, b] = await Promise.all([
      acceptGift(deps, { sender: fan, streamId, giftId: 'rose', count: 3, idempotencyKey: key }),
      acceptGift(deps, { sender: fan, streamId, giftId: 'rose', count: 3, idempotencyKey: key }),
    ]);
    expect(b.gift).toEqual(a.gift);
    expect([a.replay, b.replay].sort()).toEqual([false, true]);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['3', '1']);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 7, held: 3 });
  });
});
