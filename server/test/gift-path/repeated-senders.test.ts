import type { User } from '../../../shared/contracts/users';
import { redisNow } from '../../../shared/domain/clock';
import type { Deps } from '../../../shared/domain/deps';
import { finishGift, type HeldGift, type RoomVerdict } from '../../../shared/domain/gift-room';
import { creatorBoardsOfGift } from '../../../shared/domain/leaderboard-periods';
import { streamLeaderboard } from '../../../shared/domain/leaderboards';
import { mintId, userShard } from '../../../shared/redis/keys';
import { batchCounts } from '../../../shared/redis/script-batches';
import type { ScriptName } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import { testAdult } from '../../../shared/testing/money';
import { liveStream } from '../wallet/fixtures';

/**
 * A gift war's top gifters send again and again, so the gifts one room-phase or boards call carries often repeat a
 * sender: the call writes each sender's row once per board, and every board must still end exactly as the gifts
 * applied one by one would leave it: the same coins, the same order, ties to whoever reached the score first.
 * Two creators get the same gifts from the same fans at the same moment: the first all at once (one call per phase),
 * the second one gift after the other; their boards must agree to the byte.
 */
const deps = testDeps();
afterAll(() => deps.close());

/** Redis calls of `single` (batched or not) made by `work`, and the gifts they carried. */
async function callsDuring<T>(
  single: ScriptName,
  work: () => Promise<T>,
): Promise<[T, { calls: number; gifts: number }]> {
  const before = { ...(batchCounts.get(single) ?? { calls: 0, gifts: 0 }) };
  const result = await work();
  const after = batchCounts.get(single) ?? { calls: 0, gifts: 0 };
  return [result, { calls: after.calls - before.calls, gifts: after.gifts - before.gifts }];
}

interface Room {
  creator: User;
  streamId: string;
}

/** Everything the gifts wrote on the stream's and the creator's boards, with the boards' expiry. */
async function boardsOf(d: Deps, room: Room, at: number) {
  const k = d.keys;
  const boards = [
    k.lbStream(room.streamId),
    ...creatorBoardsOfGift(k, room.creator.id, at).keys.filter((_, i) => i % 2 === 0),
  ];
  return Promise.all(
    boards.map(async (board) => ({
      members: await d.redis.zrange(board, 0, -1),
      rows: await d.redis.hgetall(k.lbMembers(board)),
      expiresAt: [await d.redis.pexpiretime(board), await d.redis.pexpiretime(k.lbMembers(board))],
    })),
  );
}

describe('a batch with repeated senders leaves every board exactly as the gifts one by one', () => {
  it('coins summed per sender, ties to whoever got there first, each gift its own answer', async () => {
    const [ann, bob, cat, dan] = await Promise.all(
      ['Ann', 'Bob', 'Cat', 'Dan'].map((n) => testAdult(deps, { displayName: n })),
    );
    const batched = await liveStream(deps);
    const oneByOne = await liveStream(deps);
    const at = await redisNow(deps);
    // all four reach 3 coins or more; Cat gets to 3 first, then Ann, then Bob; Dan passes them all
    const sends: Array<[User, number]> = [
      [ann, 1],
      [bob, 2],
      [cat, 3],
      [ann, 1],
      [dan, 2],
      [ann, 1],
      [bob, 1],
      [dan, 2],
      [dan, 1],
    ];
    const gift = (room: Room, [sender, count]: [User, number]): HeldGift => ({
      giftEventId: mintId(userShard(sender.id)),
      senderId: sender.id,
      senderName: sender.displayName,
      target: { kind: 'stream', id: room.streamId },
      creatorId: room.creator.id,
      giftId: 'rose',
      giftName: 'Rose',
      count,
      totalCoins: count,
      at,
    });
    const together = sends.map((s) => gift(batched, s));
    together.push(together[3]!); // a repeat of Ann's second rose inside the same call: one gift, answered twice

    const [[verdicts, roomCalls], boardCalls] = await callsDuring('giftBoards', () =>
      callsDuring('giftRoom', () => Promise.all(together.map((g) => finishGift(deps, g)))),
    );
    expect(roomCalls).toEqual({ calls: 1, gifts: 10 });
    expect(boardCalls).toEqual({ calls: 1, gifts: 10 });
    expect(verdicts[9]).toEqual({ ...verdicts[3], firstRun: false });

    // the same gifts, one call each, in the order the batch counted them
    const order = verdicts.slice(0, 9).map((v, i) => [v.seq, i] as const);
    order.sort((a, b) => a[0] - b[0]);
    const alone: RoomVerdict[] = [];
    for (const [, i] of order) {
      const [v, calls] = await callsDuring('giftRoom', () => finishGift(deps, gift(oneByOne, sends[i]!)));
      expect(calls).toEqual({ calls: 1, gifts: 1 });
      alone[i] = v;
    }
    expect(verdicts.slice(0, 9)).toEqual(alone);

    const top = await streamLeaderboard(deps, batched.streamId, { limit: 10 });
    expect(top.items.map((r) => [r.displayName, r.coins])).toEqual([
      ['Dan', 5],
      ['Cat', 3],
      ['Ann', 3],
      ['Bob', 3],
    ]);
    expect(await boardsOf(deps, batched, at)).toEqual(await boardsOf(deps, oneByOne, at));
    // a streak's state is JSON: the same state, whatever order its fields were written in
    const streaks = async (room: Room) => [
      Object.fromEntries(
        Object.entries(await deps.redis.hgetall(deps.keys.streaks(room.streamId))).map(([f, v]) => [f, JSON.parse(v)]),
      ),
      await deps.redis.zrange(deps.keys.streaksDue(room.streamId), 0, -1, 'WITHSCORES'),
    ];
    expect(await streaks(batched)).toEqual(await streaks(oneByOne));
    const totals = (room: Room) => deps.redis.hmget(deps.keys.stream(room.streamId), 'seq', 'totalCoins', 'giftCount');
    expect(await totals(batched)).toEqual(['9', '14', '9']);
    expect(await totals(oneByOne)).toEqual(['9', '14', '9']);
    expect(await deps.redis.get(deps.keys.creatorSeq(batched.creator.id))).toBe('9');
  });
});
