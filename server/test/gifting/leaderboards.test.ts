import { randomUUID } from 'node:crypto';
import type { LeaderboardItem } from '../../../shared/contracts/models';
import { acceptGift } from '../../../shared/domain/gifts';
import { creatorLeaderboard } from '../../../shared/domain/leaderboards';
import { redisNow } from '../../../shared/domain/clock';
import { dayNumber, weekNumber } from '../../../shared/redis/keys';
import { emitAck, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fundViewer } from '../../../shared/testing/money';
import { fan, liveStream, send } from './fixtures';

const row = (rank: number, u: { user: { id: string; displayName: string } }, coins: number): LeaderboardItem => ({
  rank,
  userId: u.user.id,
  displayName: u.user.displayName,
  coins,
});

describe('leaderboards are exact, ties going to whoever reached the score first', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ leaderboardPushSize: 2 });
  });
  afterAll(() => s.close());

  it("a stream's board ranks by coins, breaks ties by who got there first, and the creator's boards agree", async () => {
    const { creator, streamId } = await liveStream(s);
    const [ann, bob, cat] = await Promise.all([fan(s, 100), fan(s, 100), fan(s, 100)]);
    const gifts: Array<[typeof ann, number]> = [
      [ann, 10],
      [bob, 10],
      [cat, 5],
      [cat, 5],
      [bob, 1],
      [ann, 1],
    ];
    for (const [who, n] of gifts) expect(await send(who.socket, streamId, 'rose', n)).toMatchObject({ ok: true });
    const expected = [row(1, bob, 11), row(2, ann, 11), row(3, cat, 10)];

    expect((await s.request('GET', `/v1/streams/${streamId}/leaderboard`)).body).toEqual({
      items: expected,
      nextCursor: null,
    });
    expect((await s.request('GET', `/v1/streams/${streamId}/leaderboard?limit=2`)).body).toMatchObject({
      items: expected.slice(0, 2),
    });
    for (const period of ['day', 'week', 'all']) {
      const res = await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=${period}&limit=10`);
      expect(res.body).toMatchObject({ items: expected, nextCursor: null });
    }
    // a late joiner gets the top of the board in its acknowledgement
    const late = await s.connect();
    expect(await emitAck(late, 'stream:join', { streamId })).toMatchObject({
      leaderboard: { items: expected.slice(0, 2) },
    });
  });

  it("a creator's board adds up all their streams; a stream's board only its own", async () => {
    const { creator, streamId: first } = await liveStream(s);
    const dan = await fan(s, 100);
    await send(dan.socket, first, 'perfume', 2);
    await s.request('POST', `/v1/streams/${first}/end`, { token: creator.token });
    const second = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'again' } })).body
      .stream.id;
    await send(dan.socket, second, 'rose', 3);
    expect((await s.request('GET', `/v1/streams/${second}/leaderboard`)).body.items).toEqual([row(1, dan, 3)]);
    expect((await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=all`)).body.items).toEqual([
      row(1, dan, 43),
    ]);
  });

  it('days and weeks are UTC, weeks starting Monday 00:00; a gift is filed under the day Redis reports', async () => {
    const sunday = Date.UTC(2024, 0, 7, 23, 59, 59, 999);
    const monday = Date.UTC(2024, 0, 8, 0, 0, 0, 0);
    expect(weekNumber(monday)).toBe(weekNumber(sunday) + 1);
    expect(weekNumber(monday + 7 * 86_400_000 - 1)).toBe(weekNumber(monday));
    expect(dayNumber(monday)).toBe(dayNumber(sunday) + 1);

    const { creator, streamId } = await liveStream(s);
    const eve = await s.createUser();
    await fundViewer(s.deps, eve.user, 100);
    const sent = await acceptGift(s.deps, {
      sender: eve.user,
      streamId,
      giftId: 'rose',
      count: 7,
      idempotencyKey: randomUUID(),
    });
    const now = await redisNow(s.deps);
    expect(dayNumber(sent.gift.at)).toBe(dayNumber(now)); // (a run across midnight UTC would differ: not here)
    const board = async (period: 'day' | 'week' | 'all', at?: number) =>
      (await creatorLeaderboard(s.deps, creator.user.id, period, { limit: 10, at })).items;
    for (const period of ['day', 'week', 'all'] as const) expect(await board(period)).toEqual([row(1, eve, 7)]);
    expect(await board('day', sent.gift.at - 86_400_000)).toEqual([]);
    expect(await board('week', sent.gift.at - 7 * 86_400_000)).toEqual([]);
  });

  it('`leaderboard` is pushed to the room only when the top changes', async () => {
    const { streamId } = await liveStream(s);
    const watcher = await s.connect();
    const pushes: LeaderboardItem[][] = [];
    watcher.on('leaderboard', (p) => {
      expect(p.streamId).toBe(streamId);
      pushes.push(p.items);
    });
    await emitAck(watcher, 'stream:join', { streamId });
    const [gil, hal, ivy] = await Promise.all([fan(s, 100), fan(s, 100), fan(s, 100)]);
    await send(gil.socket, streamId, 'rose', 10);
    await waitFor(
      () => pushes.length,
      (n) => n === 1,
    );
    await send(hal.socket, streamId, 'rose', 5);
    await waitFor(
      () => pushes.length,
      (n) => n === 2,
    );
    await send(ivy.socket, streamId, 'rose', 1); // third place: the top 2 does not change
    await send(hal.socket, streamId, 'rose', 10);
    await waitFor(
      () => pushes.length,
      (n) => n >= 3,
    );
    expect(pushes).toEqual([[row(1, gil, 10)], [row(1, gil, 10), row(2, hal, 5)], [row(1, hal, 15), row(2, gil, 10)]]);
  });

  it('rejects bad queries and unknown ids', async () => {
    const { creator, streamId } = await liveStream(s);
    for (const q of ['limit=0', 'limit=101', 'limit=x']) {
      expect((await s.request('GET', `/v1/streams/${streamId}/leaderboard?${q}`)).status).toBe(400);
    }
    expect((await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=year`)).status).toBe(400);
    expect((await s.request('GET', `/v1/streams/${randomUUID()}/leaderboard`)).status).toBe(404);
    expect((await s.request('GET', `/v1/creators/${randomUUID()}/leaderboard`)).status).toBe(404);
    expect((await s.request('GET', '/v1/creators/nope/leaderboard')).status).toBe(400);
    expect((await s.request('GET', `/v1/streams/${streamId}/leaderboard?limit=100`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});
