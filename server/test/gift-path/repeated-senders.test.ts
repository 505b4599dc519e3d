import { Cluster } from 'ioredis';
import type { User } from '../../../shared/contracts/users';
import { acceptBattle, createBattle } from '../../../shared/domain/battles';
import { redisNow } from '../../../shared/domain/clock';
import type { Deps } from '../../../shared/domain/deps';
import { finishGift, type HeldGift, type RoomVerdict } from '../../../shared/domain/gift-room';
import { creatorBoardsOfGift } from '../../../shared/domain/leaderboard-periods';
import { streamLeaderboard } from '../../../shared/domain/leaderboards';
import { testDeps } from '../../../shared/testing/harness';
import { testAdult } from '../../../shared/testing/money';
import { liveStream } from '../wallet/fixtures';
import { callsDuring } from './batch-counts';
import { heldGift } from '../../../shared/testing/held-gift';

/**
 * A gift war's top gifters send again and again, so the gifts one room-phase or boards call carries often repeat a
 * sender: the call writes each sender's row once per board, and every board must still end exactly as the gifts
 * applied one by one would leave it: the same coins, the same order, ties to whoever reached the score first.
 * Two creators, each in a battle, get the same gifts from the same fans at the same moments: the first all at once
 * (one call per phase), the second one gift after the other; everything the gifts wrote must agree to the byte.
 */
const GAP = 3000;
const deps = testDeps({ streakGapMs: GAP });
afterAll(() => deps.close());

/** A live stream in an active battle with another one. */
async function roomInBattle(d: Deps) {
  const room = await liveStream(d);
  const opponent = await liveStream(d);
  const pending = await createBattle(d, room.creator.id, {
    streamId: room.streamId,
    opponentStreamId: opponent.streamId,
    durationSec: 600,
  });
  const battle = await acceptBattle(d, pending.id, opponent.creator.id);
  return { ...room, battleId: battle.id };
}
type Room = Awaited<ReturnType<typeof roomInBattle>>;

/** Everything gifts write in the room and on the creator's boards, with the boards' expiry (streaks as JSON). */
async function writtenBy(d: Deps, room: Room, at: number) {
  const k = d.keys;
  const boards = [
    k.lbStream(room.streamId),
    k.lbBattleSide(room.battleId, room.streamId),
    ...creatorBoardsOfGift(k, room.creator.id, at).keys.filter((_, i) => i % 2 === 0),
  ];
  return {
    boards: await Promise.all(
      boards.map(async (board) => ({
        members: await d.redis.zrange(board, 0, -1),
        rows: await d.redis.hgetall(k.lbMembers(board)),
        expiresAt: [await d.redis.pexpiretime(board), await d.redis.pexpiretime(k.lbMembers(board))],
      })),
    ),
    totals: await d.redis.hmget(k.stream(room.streamId), 'seq', 'totalCoins', 'giftCount'),
    sideScore: await d.redis.hget(k.battleSide(room.battleId, room.streamId), 'score'),
    creatorSeq: await d.redis.get(k.creatorSeq(room.creator.id)),
    // a streak's state is JSON: the same state, whatever order its fields were written in
    streaks: Object.fromEntries(
      Object.entries(await d.redis.hgetall(k.streaks(room.streamId))).map(([f, v]) => [f, JSON.parse(v) as unknown]),
    ),
    due: await d.redis.zrange(k.streaksDue(room.streamId), 0, -1, 'WITHSCORES'),
  };
}

/** A gift: its sender, count, `at` (offset from the story's moment) and room (the story's first one by default). */
type Send = [sender: User, count: number, atOffset: number, room?: number];

function giftTo(rooms: Room[], at: number, [sender, count, offset, room = 0]: Send): HeldGift {
  const r = rooms[room]!;
  return heldGift({
    senderId: sender.id,
    senderName: sender.displayName,
    streamId: r.streamId,
    creatorId: r.creator.id,
    count,
    at: at + offset,
  });
}

/**
 * Sends `sends` all at once to rooms of their own (one room call and one boards call per slot on a Redis Cluster,
 * one for all on a single Redis) and to as many other rooms one gift per call, in the order the batch counted them;
 * expects every gift answered alike and each pair of rooms' writes equal. Answers the batched verdicts and rooms.
 */
async function sameAsOneByOne(
  sends: Send[],
  at: number,
  extra: (gifts: HeldGift[]) => HeldGift[] = (g) => g,
  rooms = 1,
) {
  const batched = await Promise.all(Array.from({ length: rooms }, () => roomInBattle(deps)));
  const oneByOne = await Promise.all(Array.from({ length: rooms }, () => roomInBattle(deps)));
  const together = extra(sends.map((s) => giftTo(batched, at, s)));
  const [[verdicts, roomCalls], boardCalls] = await callsDuring('giftBoards', () =>
    callsDuring('giftRoom', () => Promise.all(together.map((g) => finishGift(deps, g)))),
  );
  const callsPerPhase = deps.redis instanceof Cluster ? rooms : 1;
  expect(roomCalls).toEqual({ calls: callsPerPhase, gifts: together.length });
  expect(boardCalls).toEqual({ calls: callsPerPhase, gifts: together.length });

  const roomOf = (i: number) => sends[i]![3] ?? 0;
  const order = sends.map((_, i) => i).sort((a, b) => verdicts[a]!.seq - verdicts[b]!.seq || roomOf(a) - roomOf(b));
  const alone: RoomVerdict[] = [];
  for (const i of order) {
    const [v, calls] = await callsDuring('giftRoom', () => finishGift(deps, giftTo(oneByOne, at, sends[i]!)));
    expect(calls).toEqual({ calls: 1, gifts: 1 });
    alone[i] = v;
  }
  // the same answers, each naming its own room's battle
  const inBattle = (vs: RoomVerdict[], rs: Room[]) =>
    vs.map((v, i) => ({ ...v, battleId: v.battleId === rs[roomOf(i)]!.battleId }));
  expect(inBattle(verdicts.slice(0, sends.length), batched)).toEqual(inBattle(alone, oneByOne));
  expect(inBattle(verdicts.slice(0, sends.length), batched).every((v) => v.battleId)).toBe(true);
  for (let r = 0; r < rooms; r++) {
    expect(await writtenBy(deps, batched[r]!, at)).toEqual(await writtenBy(deps, oneByOne[r]!, at));
  }
  return { verdicts, batched: batched[0]! };
}

describe('a batch with repeated senders leaves every board exactly as the gifts one by one', () => {
  let fans: User[];
  beforeAll(async () => {
    fans = await Promise.all(['Ann', 'Bob', 'Cat', 'Dan'].map((n) => testAdult(deps, { displayName: n })));
  });

  it('coins summed per sender, ties to whoever got there first, each gift its own answer', async () => {
    const [ann, bob, cat, dan] = fans as [User, User, User, User];
    const at = await redisNow(deps);
    // all four reach 3 coins or more; Cat gets to 3 first, then Ann, then Bob; Dan passes them all
    const sends: Send[] = [
      [ann, 1, 0],
      [bob, 2, 0],
      [cat, 3, 0],
      [ann, 1, 0],
      [dan, 2, 0],
      [ann, 1, 0],
      [bob, 1, 0],
      [dan, 2, 0],
      [dan, 1, 0],
    ];
    // a repeat of Ann's second rose inside the same call: one gift, answered twice
    const { verdicts, batched } = await sameAsOneByOne(sends, at, (gifts) => [...gifts, gifts[3]!]);
    expect(verdicts[9]).toEqual({ ...verdicts[3], firstRun: false });
    expect(verdicts.slice(0, 9).every((v) => v.firstRun)).toBe(true);

    const top = await streamLeaderboard(deps, batched.streamId, { limit: 10 });
    expect(top.items.map((r) => [r.displayName, r.coins])).toEqual([
      ['Dan', 5],
      ['Cat', 3],
      ['Ann', 3],
      ['Bob', 3],
    ]);
    const { totals, sideScore, creatorSeq } = await writtenBy(deps, batched, at);
    expect({ totals, sideScore, creatorSeq }).toEqual({ totals: ['9', '14', '9'], sideScore: '14', creatorSeq: '9' });
  });

  it('a streak that ends between two gifts of one call stays due on its own; the next gift starts a new one', async () => {
    const [ann, bob] = fans as [User, User];
    // long ago, as a settlement finishing old gifts sees them: Ann's first streak is over before her third rose
    const at = (await redisNow(deps)) - 10 * GAP;
    const sends: Send[] = [
      [ann, 1, 0],
      [bob, 2, 50],
      [ann, 2, 100],
      [ann, 4, 100 + GAP], // at the first streak's deadline: a new streak
      [bob, 1, GAP], // Bob's gap has not passed (his last rose was at 50): his streak goes on
      [ann, 1, 200 + GAP],
    ];
    const { verdicts, batched } = await sameAsOneByOne(sends, at);
    expect(verdicts.map((v) => v.combo)).toEqual([1, 2, 3, 4, 3, 5]);
    const due = await deps.redis.zrange(deps.keys.streaksDue(batched.streamId), 0, -1);
    expect(due.sort()).toEqual([`${ann.id}:rose`, `${ann.id}:rose:${at}`, `${bob.id}:rose`].sort());
  });

  it('gifts to two rooms of two creators in one call: each room and each creator as if alone', async () => {
    const [ann, bob, cat] = fans as [User, User, User];
    const at = await redisNow(deps);
    const sends: Send[] = [
      [ann, 2, 0, 0],
      [ann, 1, 0, 1],
      [bob, 2, 0, 1],
      [bob, 1, 0, 0],
      [ann, 1, 0, 0],
      [cat, 3, 0, 1],
      [bob, 2, 0, 0],
      [ann, 2, 0, 1],
    ];
    const { verdicts } = await sameAsOneByOne(sends, at, undefined, 2);
    expect(verdicts.map((v) => v.seq)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
