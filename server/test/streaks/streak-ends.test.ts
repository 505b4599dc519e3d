import type { StreakEnded } from '../../../shared/contracts/models';
import { emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { fan, liveStream, send } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * A fan keeps sending roses to a stream; when they stop for STREAK_GAP_MS, everyone in the room hears once that
 * the streak ended, with its final combo, its coins and its first and last gift's times, within a second of the
 * gap passing. A pause longer than the gap makes two streaks; another gift or another sender is a streak of its own.
 */
const GAP_MS = 800;

describe('a streak ends once, after its gap, for everyone in the room', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ streakGapMs: GAP_MS });
  });
  afterAll(() => s.close());

  /** Every `streak:ended` a socket hears, with the time it arrived. */
  function listen(socket: TestSocket) {
    const heard: Array<{ at: number; streak: StreakEnded }> = [];
    socket.on('streak:ended', (streak) => heard.push({ at: Date.now(), streak }));
    return heard;
  }

  async function watcherOf(streamId: string) {
    const socket = await s.connect();
    const heard = listen(socket);
    expect(await emitAck(socket, 'stream:join', { streamId })).toMatchObject({ ok: true });
    return heard;
  }

  const settle = () => new Promise((r) => setTimeout(r, GAP_MS + 1500));

  it('a run of roses ends once, with its combo, coins and times, no earlier than the gap and within a second of it', async () => {
    const { creator, streamId } = await liveStream(s);
    const watcher = await watcherOf(streamId);
    const creatorSocket = await s.connect({ token: creator.token });
    const creatorHeard = listen(creatorSocket);
    await emitAck(creatorSocket, 'stream:join', { streamId });
    const ann = await fan(s, 1_000, { displayName: 'Ann' });
    const bob = await fan(s, 1_000, { displayName: 'Bob' });

    const acks = [];
    for (const count of [1, 2, 3]) acks.push(await send(ann.socket, streamId, 'rose', count));
    const perfume = await send(bob.socket, streamId, 'perfume');
    const gifts = acks.map((a) => (a.ok ? a.gift : null));
    expect(gifts.map((g) => g?.combo)).toEqual([1, 3, 6]);
    if (!perfume.ok) throw new Error(perfume.error.code);

    await waitFor(
      () => watcher.length,
      (n) => n >= 2,
    );
    await settle();
    expect(watcher).toHaveLength(2);
    expect(creatorHeard.map((h) => h.streak)).toEqual(watcher.map((h) => h.streak));

    const roses = watcher.find((h) => h.streak.giftId === 'rose')!;
    expect(roses.streak).toEqual({
      streamId,
      sender: { id: ann.user.id, displayName: 'Ann' },
      giftId: 'rose',
      giftName: 'Rose',
      combo: 6,
      totalCoins: 6,
      firstAt: gifts[0]!.at,
      lastAt: gifts[2]!.at,
    });
    const perfumes = watcher.find((h) => h.streak.giftId === 'perfume')!;
    expect(perfumes.streak).toMatchObject({
      sender: { id: bob.user.id, displayName: 'Bob' },
      combo: 1,
      totalCoins: perfume.gift.totalCoins,
      firstAt: perfume.gift.at,
      lastAt: perfume.gift.at,
    });
    for (const h of watcher) {
      expect(h.at).toBeGreaterThanOrEqual(h.streak.lastAt + GAP_MS);
      expect(h.at).toBeLessThanOrEqual(h.streak.lastAt + GAP_MS + 1000);
    }
  });

  it('a pause longer than the gap ends the streak; the next rose starts a new one at combo 1', async () => {
    const { streamId } = await liveStream(s);
    const watcher = await watcherOf(streamId);
    const cy = await fan(s, 1_000, { displayName: 'Cy' });

    const first = await send(cy.socket, streamId, 'rose', 2);
    await waitFor(
      () => watcher.length,
      (n) => n === 1,
    );
    const second = await send(cy.socket, streamId, 'rose');
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(second.gift.combo).toBe(1);
    await waitFor(
      () => watcher.length,
      (n) => n === 2,
    );
    await settle();
    expect(watcher.map((h) => [h.streak.combo, h.streak.firstAt])).toEqual([
      [2, first.gift.at],
      [1, second.gift.at],
    ]);
  });

  it("a stream that ends mid-streak still hears the streak's end at its deadline, and leaves the pollers' set", async () => {
    const { creator, streamId } = await liveStream(s);
    const watcher = await watcherOf(streamId);
    const dee = await fan(s, 1_000, { displayName: 'Dee' });
    const rose = await send(dee.socket, streamId, 'rose', 4);
    if (!rose.ok) throw new Error(rose.error.code);
    const ended = await s.request('POST', `/v1/streams/${streamId}/end`, { token: creator.token });
    expect(ended.status).toBe(200);

    await waitFor(
      () => watcher.length,
      (n) => n === 1,
    );
    expect(watcher[0]!.streak).toMatchObject({ combo: 4, lastAt: rose.gift.at });
    expect(watcher[0]!.at).toBeGreaterThanOrEqual(rose.gift.at + GAP_MS);
    const k = s.deps.keys;
    await waitFor(
      () => s.deps.redis.sismember(k.streakStreams, streamId),
      (member) => member === 0,
    );
    await settle();
    expect(watcher).toHaveLength(1);
    expect(await s.deps.redis.exists(k.streaks(streamId), k.streaksDue(streamId))).toBe(0);
  });
});
