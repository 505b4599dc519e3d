import { waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { creatorRoom, streamRoom } from '../../../shared/contracts/rooms';
import { acceptBattle, createBattle } from '../../../shared/domain/battles';
import { announcingDeps, runBattleJob } from '../../../workers/battles';
import { roomEmitter } from '../../../shared/redis/socket-io-adapter';
import {
  activeBattle,
  invite,
  joinRoom,
  liveCreator,
  pendingBattle,
  recordBattleEvents,
  snapshot,
  type Creator,
} from './fixtures';

describe('a battle runs from acceptance to its end, by time or by forfeit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  /** One anonymous watcher in each stream's room, and each creator's own socket. */
  async function watch(a: Creator, b: Creator) {
    const sockets: TestSocket[] = [];
    for (const [c, room] of [
      [a, streamRoom(a.streamId)],
      [b, streamRoom(b.streamId)],
      [a, creatorRoom(a.streamId)],
      [b, creatorRoom(b.streamId)],
    ] as const) {
      // a creator's own socket is in both rooms of their stream, as stream:join puts it
      const own = room.endsWith(':creator');
      const socket = await s.connect(own ? { token: c.token } : {});
      joinRoom(s, socket, room);
      if (own) joinRoom(s, socket, streamRoom(c.streamId));
      sockets.push(socket);
    }
    const events = sockets.map(recordBattleEvents);
    return Object.assign(events, { sockets });
  }

  /** A marker sent through the emitter after `fn`: once it arrives, anything `fn` emitted has arrived too. */
  async function settled(socket: TestSocket, room: string) {
    const marker = new Promise<void>((resolve) => socket.once('viewers', () => resolve()));
    roomEmitter(s.deps.redis, s.deps.keys.socketChannel).emit(room, 'viewers', { streamId: 'marker', count: 0 });
    await marker;
  }

  it('the opponent accepts: active for durationSec, and both rooms hear battle:started', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const [watchA, watchB, creatorA, creatorB] = await watch(a, b);
    const invited = (await invite(s, a, b, 30)).body.battle;
    await waitFor(
      () => creatorB!.length,
      (n) => n === 1,
    );
    expect(creatorB![0]).toMatchObject({ event: 'battle:invited', battle: { id: invited.id, status: 'pending' } });

    const res = await s.request('POST', `/v1/battles/${invited.id}/accept`, { token: b.token });
    expect(res.status).toBe(200);
    const battle = res.body.battle;
    expect(battle).toMatchObject({ id: invited.id, status: 'active', durationSec: 30, startedAt: expect.any(Number) });
    expect(battle.endsAt).toBe(battle.startedAt + 30_000);
    expect(battle.expiresAt).toBeUndefined();
    expect(battle.winnerStreamId).toBeUndefined();
    for (const seen of [watchA!, watchB!]) {
      await waitFor(
        () => seen.length,
        (n) => n === 1,
      );
      expect(seen[0]).toEqual({ event: 'battle:started', battle });
    }
    // viewers never heard of the invitation; the creators heard both
    expect(creatorA!.map((e) => e.event)).toEqual(['battle:invited', 'battle:started']);
  });

  it('while active, neither side can accept, decline or cancel it, and neither stream can start another battle', async () => {
    const { a, b, battle } = await activeBattle(s);
    const c = await liveCreator(s);
    const before = await snapshot(s, battle.id, [a.streamId, b.streamId, c.streamId]);
    for (const [action, token] of [
      ['accept', b.token],
      ['decline', b.token],
      ['cancel', a.token],
    ] as const) {
      const res = await s.request('POST', `/v1/battles/${battle.id}/${action}`, { token });
      expect([action, res.status, res.body.error?.code]).toEqual([action, 409, 'CONFLICT']);
    }
    for (const [from, to] of [
      [a, c],
      [c, b],
    ] as const)
      expect((await invite(s, from, to)).body.error.code).toBe('CONFLICT');
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId, c.streamId])).toEqual(before);
  });

  it('the timer ends it at endsAt, not a millisecond before; without gifts it is a tie; a second run ends nothing', async () => {
    const { a, b, battle } = await activeBattle(s, 30);
    const watched = await watch(a, b);
    const [watchA, watchB] = watched;
    const timers = announcingDeps(s.deps);
    const job = { kind: 'end', battleId: battle.id } as const;

    expect(await runBattleJob(timers, job, battle.endsAt! - 1)).toEqual({ retryAt: battle.endsAt });
    expect((await s.request('GET', `/v1/battles/${battle.id}`)).body.battle.status).toBe('active');

    await runBattleJob(timers, job, battle.endsAt!);
    const ended = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    expect(ended).toEqual({
      ...battle,
      status: 'ended',
      endedAt: battle.endsAt,
      winnerStreamId: null,
      endReason: 'time',
    });
    const after = await snapshot(s, battle.id, [a.streamId, b.streamId]);
    expect(after.streams.map((h) => h.battleId)).toEqual(['', '']);
    expect(await s.deps.redis.zscore(s.deps.keys.battlesDue, battle.id)).toBeNull();

    expect(await runBattleJob(timers, job, battle.endsAt! + 5000)).toEqual({ retryAt: null });
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId])).toEqual(after);
    await settled(watched.sockets[0]!, streamRoom(a.streamId));
    await settled(watched.sockets[1]!, streamRoom(b.streamId));
    for (const seen of [watchA!, watchB!]) expect(seen).toEqual([{ event: 'battle:ended', battle: ended }]);
    // an ended battle can be neither accepted, declined nor cancelled
    for (const [action, token] of [
      ['accept', b.token],
      ['decline', b.token],
      ['cancel', a.token],
    ] as const) {
      const res = await s.request('POST', `/v1/battles/${battle.id}/${action}`, { token });
      expect([action, res.status, res.body.error?.code]).toEqual([action, 409, 'CONFLICT']);
    }
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId])).toEqual(after);
    // ended streams are free again
    expect((await invite(s, b, a)).status).toBe(201);
  });

  it('a stream that ends mid-battle forfeits: the battle ends at once and the other side wins', async () => {
    const { a, b, battle } = await activeBattle(s);
    const [watchA, watchB] = await watch(a, b);
    const end = await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    const ended = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    expect(ended).toMatchObject({
      status: 'ended',
      endReason: 'forfeit',
      winnerStreamId: b.streamId,
      endedAt: end.body.stream.endedAt,
    });
    for (const seen of [watchA!, watchB!]) {
      await waitFor(
        () => seen.length,
        (n) => n === 1,
      );
      expect(seen[0]).toEqual({ event: 'battle:ended', battle: ended });
    }
    // the winner's stream is free for another battle; the time job later finds nothing to do
    const c = await liveCreator(s);
    expect((await invite(s, b, c)).status).toBe(201);
    await runBattleJob(announcingDeps(s.deps), { kind: 'end', battleId: battle.id }, battle.endsAt!);
    expect((await s.request('GET', `/v1/battles/${battle.id}`)).body.battle).toEqual(ended);
  });

  it('a battle past endsAt whose timer has not run is ended by the first read, and announced', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const [watchA] = await watch(a, b);
    const longAgo = Date.now() - 120_000;
    const p = await createBattle(
      s.deps,
      a.user.id,
      { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 },
      longAgo,
    );
    const battle = await acceptBattle(s.deps, p.id, b.user.id, longAgo + 1000);
    const read = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    expect(read).toMatchObject({ status: 'ended', endReason: 'time', endedAt: battle.endsAt, winnerStreamId: null });
    await waitFor(
      () => watchA!.length,
      (n) => n === 1,
    );
    expect(watchA![0]!.event).toBe('battle:ended');
  });

  it('an invitation past its expiry cannot be accepted: it is expired, and the creators hear it', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const [, , creatorA] = await watch(a, b);
    const p = await createBattle(
      s.deps,
      a.user.id,
      { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 },
      Date.now() - 61_000,
    );
    const res = await s.request('POST', `/v1/battles/${p.id}/accept`, { token: b.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    const read = (await s.request('GET', `/v1/battles/${p.id}`)).body.battle;
    expect(read).toMatchObject({ status: 'expired', endReason: 'expired', endedAt: p.expiresAt });
    await waitFor(
      () => creatorA!.length,
      (n) => n === 1,
    );
    expect(creatorA![0]).toEqual({ event: 'battle:ended', battle: read });
    expect((await invite(s, a, b)).status).toBe(201);
  });

  it('ending both streams of a pending battle closes it once', async () => {
    const { a, b, battle } = await pendingBattle(s);
    await s.request('POST', `/v1/streams/${b.streamId}/end`, { token: b.token });
    const first = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    expect((await s.request('GET', `/v1/battles/${battle.id}`)).body.battle).toEqual(first);
    expect(first).toMatchObject({ status: 'cancelled', endReason: 'stream_ended' });
  });
});
