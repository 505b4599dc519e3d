import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import { finishGift } from '../../../shared/domain/gift-room';
import { acceptGift, giftHoldArgs, holdWithLaterSteps } from '../../../shared/domain/gifts';
import { streamView } from '../../../shared/domain/gift-stream-view';
import { creatorBoardKey, periodAt } from '../../../shared/domain/leaderboard-periods';
import { testDeps } from '../../../shared/testing/harness';
import { fundedViewer } from '../../../shared/testing/money';
import { liveStream, walletOf } from '../wallet/fixtures';
import { callsDuring } from './batch-counts';
import { heldGift } from '../../../shared/testing/held-gift';

/**
 * On a single Redis a gift's steps (the wallet phase, the room phase, the creator's boards) run in one script call
 * (lua/gift-accept-batch-n.lua), batched with every gift that arrives meanwhile; each step is still the one its own
 * script runs, idempotent by its own marker. A Redis Cluster keeps them apart (the other gift-path stories).
 */
const deps = testDeps();
afterAll(() => deps.close());

const HOUR_MS = 3_600_000;
const rose = (sender: User, streamId: string) =>
  acceptGift(deps, { sender, streamId, giftId: 'rose', count: 2, idempotencyKey: randomUUID() });
const calls = async <T>(work: () => Promise<T>) => {
  const [[[[result, all], hold], room], boards] = await callsDuring('giftBoards', () =>
    callsDuring('giftRoom', () => callsDuring('giftHold', () => callsDuring('giftAcceptBatch', work))),
  );
  return { result, all, hold, room, boards };
};

describe('on a single Redis every step of a gift is one Redis call', () => {
  it('twenty fans gifting one room at once: one call in all, each gift counted once in its room and boards', async () => {
    const { creator, streamId } = await liveStream(deps);
    const fans = await Promise.all(Array.from({ length: 20 }, () => fundedViewer(deps, 10)));
    const { result, all, hold, room, boards } = await calls(() => Promise.all(fans.map((f) => rose(f, streamId))));
    expect(all).toEqual({ calls: 1, gifts: 20 });
    expect([hold.calls, room.calls, boards.calls]).toEqual([0, 0, 0]);
    expect(result.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['40', '20']);
    expect(await deps.redis.zcard(deps.keys.lbStream(streamId))).toBe(20);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(20);
    for (const f of fans) expect(await walletOf(deps, f.id)).toMatchObject({ coins: 8, held: 2 });
  });

  it("fans of two rooms in one call: the call sends what the gifts share once, and each gift lands on its own room's keys", async () => {
    const [a, b] = await Promise.all([liveStream(deps), liveStream(deps)]);
    const fans = await Promise.all(Array.from({ length: 6 }, () => fundedViewer(deps, 10)));
    const { all } = await calls(() => Promise.all(fans.map((f, i) => rose(f, (i % 3 === 0 ? b : a).streamId))));
    expect(all).toEqual({ calls: 1, gifts: 6 });
    for (const [room, gifts] of [
      [a, 4],
      [b, 2],
    ] as const) {
      expect(await deps.redis.hmget(deps.keys.stream(room.streamId), 'totalCoins', 'giftCount')).toEqual([
        String(2 * gifts),
        String(gifts),
      ]);
      expect(await deps.redis.zcard(deps.keys.lbStream(room.streamId))).toBe(gifts);
      expect(await deps.redis.zcard(deps.keys.lbCreatorAll(room.creator.id))).toBe(gifts);
    }
    for (const f of fans) expect(await walletOf(deps, f.id)).toMatchObject({ coins: 8, held: 2 });
  });

  it('a refused gift in the call moves nothing and leaves the others counted', async () => {
    const { streamId } = await liveStream(deps);
    const [rich, poor] = await Promise.all([fundedViewer(deps, 10), fundedViewer(deps, 1)]);
    const outcomes = await Promise.allSettled([rose(rich, streamId), rose(poor, streamId)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await walletOf(deps, poor.id)).toMatchObject({ coins: 1, held: 0 });
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['2', '1']);
  });

  it("a gift Redis's clock puts in another hour than the server's is counted on its own hour's board, once", async () => {
    const { creator, streamId } = await liveStream(deps);
    const fan = await fundedViewer(deps, 10);
    const held = heldGift({ senderId: fan.id, streamId, creatorId: creator.id, count: 3 });
    const input = { sender: fan, streamId, giftId: 'rose', count: 3, idempotencyKey: randomUUID() };
    const view = (await streamView(deps, streamId, true))!;
    // this server's clock an hour behind Redis's: the boards' keys it picks are last hour's
    const { result, boards } = await calls(() =>
      holdWithLaterSteps(
        deps,
        giftHoldArgs(deps, input, held, { name: 'Rose', coins: 1 }),
        held,
        view,
        Date.now() - HOUR_MS,
      ),
    );
    const [hold, ran] = result;
    expect(hold.status).toBe('OK');
    expect(ran).toMatchObject({ boards: false });
    expect(boards.calls).toBe(0);
    held.at = Number(hold.payload[0]);
    held.senderName = String(hold.payload[3]);

    const { boards: finishing } = await calls(() => finishGift(deps, held, view.battleId, ran));
    expect(finishing.calls).toBe(1);
    const hourBoard = (at: number) => creatorBoardKey(deps.keys, creator.id, periodAt('hour', at));
    expect(await deps.redis.zcard(hourBoard(held.at - HOUR_MS))).toBe(0);
    expect(await deps.redis.zcard(hourBoard(held.at))).toBe(1);
    expect(await deps.redis.zcard(deps.keys.lbCreatorAll(creator.id))).toBe(1);
    // and once only: the room phase's verdict is stored, the boards' marker set
    const boardsNow = () => deps.redis.hgetall(deps.keys.lbMembers(hourBoard(held.at)));
    const counted = await boardsNow();
    expect(counted).not.toEqual({});
    await finishGift(deps, held);
    expect(await deps.redis.hmget(deps.keys.stream(streamId), 'totalCoins', 'giftCount')).toEqual(['3', '1']);
    expect(await boardsNow()).toEqual(counted);
  });
});
