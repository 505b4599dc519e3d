import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { finishGift, heldGiftOf } from '../../../shared/domain/gift-room';
import { acceptGift } from '../../../shared/domain/gifts';
import { createGoal, getGoal } from '../../../shared/domain/goals';
import { batchCounts } from '../../../shared/redis/script-batches';
import type { ScriptName } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import { fundedViewer } from '../../../shared/testing/money';
import { liveStream, walletOf } from '../wallet/fixtures';

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

/** Runs `work` and says how many calls of `single`'s batch script it made and how many gifts they carried. */
async function batchesDuring<T>(single: ScriptName, work: () => Promise<T>): Promise<[T, number]> {
  const before = batchCounts.get(single)?.batches ?? 0;
  const result = await work();
  return [result, (batchCounts.get(single)?.batches ?? 0) - before];
}

describe('gifts that arrive together for one slot are applied in one call, each answered as if alone', () => {
  it('two devices of one fan race for the last coin inside one wallet-phase batch: exactly one is accepted', async () => {
    const fan = await fundedViewer(deps, 1);
    const { streamId } = await liveStream(deps);
    const [outcomes, batches] = await batchesDuring('giftHold', () =>
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
    const [outcomes, batches] = await batchesDuring('giftHold', () =>
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
      const [outcomes] = await batchesDuring('giftHold', () =>
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
      const [rated] = await batchesDuring('giftHold', () =>
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
    const [outcomes, batches] = await batchesDuring('giftRoom', () =>
      Promise.all(
        fans.map((f) =>
          acceptGift(deps, { sender: f, streamId, giftId: 'rose', count: 2, idempotencyKey: randomUUID() }),
        ),
      ),
    );
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(outcomes.map((o) => o.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(outcomes.every((o) => o.gift.combo === 2 && !o.replay)).toBe(true);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['40', '20']);
    expect(await deps.redis.zcard(deps.keys.lbStream(streamId))).toBe(20);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(20);

    // every gift is still idempotent on its own: its room phase run again for all twenty, batched again, counts nothing
    const held = await Promise.all(
      outcomes.map(async (o) => heldGiftOf(await deps.redis.hgetall(deps.keys.gift(o.gift.id)))!),
    );
    const again = await Promise.all(held.map((g) => finishGift(deps, g)));
    expect(again.map((r) => r.seq)).toEqual(outcomes.map((o) => o.seq));
    expect(again.every((r) => !r.firstRun)).toBe(true);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['40', '20']);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(20);
  });

  it('two fans racing for the last coin of a goal inside one batch: both are counted, exactly one reaches it', async () => {
    const { creator, streamId } = await liveStream(deps);
    const goal = await createGoal(deps, streamId, creator.id, { title: 'one more', targetCoins: 11 });
    const first = await fundedViewer(deps, 10);
    await acceptGift(deps, { sender: first, streamId, giftId: 'rose', count: 10, idempotencyKey: randomUUID() });
    const racers = await Promise.all([fundedViewer(deps, 1), fundedViewer(deps, 1)]);
    const [outcomes, batches] = await batchesDuring('giftRoom', () =>
      Promise.all(
        racers.map((f) =>
          acceptGift(deps, { sender: f, streamId, giftId: 'rose', count: 1, idempotencyKey: randomUUID() }),
        ),
      ),
    );
    expect(batches).toBe(1);
    expect(outcomes.map((o) => o.goalId)).toEqual([goal.id, goal.id]);
    expect(outcomes.filter((o) => o.announceGoalReached)).toHaveLength(1);
    const reached = await getGoal(deps, goal.id);
    expect(reached).toMatchObject({ status: 'reached', progressCoins: 12 });
    expect(reached.reachedAt).toBe(outcomes.find((o) => o.announceGoalReached)!.gift.at);
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
