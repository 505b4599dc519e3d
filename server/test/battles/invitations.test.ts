import { script } from '../../../shared/redis/scripts';
import { startTestServer, type TestServer } from '../support/test-server';
import { invite, liveCreator, pendingBattle, snapshot } from './fixtures';

const UNKNOWN = '3b241101-e2bb-4255-8caf-4136c566a962';

describe('a creator challenges another live creator to a gift war', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('the invitation is pending, with both sides at zero, in the order challenger, opponent', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const res = await invite(s, a, b, 45);
    expect(res.status).toBe(201);
    expect(res.body.battle).toEqual({
      id: expect.any(String),
      status: 'pending',
      sides: [
        { streamId: a.streamId, creatorId: a.user.id, score: 0, mvp: null },
        { streamId: b.streamId, creatorId: b.user.id, score: 0, mvp: null },
      ],
      durationSec: 45,
      createdAt: expect.any(Number),
      expiresAt: res.body.battle.createdAt + 60_000,
    });
    const read = await s.request('GET', `/v1/battles/${res.body.battle.id}`);
    expect(read.status).toBe(200);
    expect(read.body.battle).toEqual(res.body.battle);
  });

  it.each([
    ['a duration under 30 s', { durationSec: 29 }],
    ['a duration over 600 s', { durationSec: 601 }],
    ['a fractional duration', { durationSec: 30.5 }],
    ['a duration as text', { durationSec: '60' }],
    ['a malformed stream id', { streamId: 'nope' }],
    ['an unknown field', { extra: 1 }],
  ])('%s is VALIDATION_FAILED, before identity', async (_what, patch) => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const body = { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 60, ...patch };
    for (const token of [a.token, undefined]) {
      const res = await s.request('POST', '/v1/battles', { token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('a stream cannot battle itself (VALIDATION_FAILED)', async () => {
    const a = await liveCreator(s);
    const res = await s.request('POST', '/v1/battles', {
      token: a.token,
      body: { streamId: a.streamId, opponentStreamId: a.streamId, durationSec: 60 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('no token is UNAUTHORIZED; the creator of the other stream, or a viewer, is FORBIDDEN', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const body = { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 60 };
    expect((await s.request('POST', '/v1/battles', { body })).status).toBe(401);
    const viewer = await s.createUser();
    for (const token of [b.token, viewer.token]) {
      const res = await s.request('POST', '/v1/battles', { token, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('an unknown stream on either side is NOT_FOUND', async () => {
    const a = await liveCreator(s);
    const mine = await s.request('POST', '/v1/battles', {
      token: a.token,
      body: { streamId: UNKNOWN, opponentStreamId: a.streamId, durationSec: 60 },
    });
    expect(mine.status).toBe(404);
    const theirs = await s.request('POST', '/v1/battles', {
      token: a.token,
      body: { streamId: a.streamId, opponentStreamId: UNKNOWN, durationSec: 60 },
    });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('NOT_FOUND');
  });

  it('either stream having ended is STREAM_NOT_LIVE', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    await s.request('POST', `/v1/streams/${b.streamId}/end`, { token: b.token });
    const res = await invite(s, a, b);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('STREAM_NOT_LIVE');
    const c = await liveCreator(s);
    await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    expect((await invite(s, a, c)).body.error.code).toBe('STREAM_NOT_LIVE');
  });

  it('a stream in another pending battle, on either side, is CONFLICT and nothing changes', async () => {
    const { a, b, battle } = await pendingBattle(s);
    const c = await liveCreator(s);
    const before = await snapshot(s, battle.id, [a.streamId, b.streamId, c.streamId]);
    for (const [from, to] of [
      [c, a],
      [c, b],
      [a, c],
      [b, c],
    ] as const) {
      const res = await invite(s, from, to);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
    }
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId, c.streamId])).toEqual(before);
  });

  it('the opponent declines: declined, and both streams are free for another battle', async () => {
    const { a, b, battle } = await pendingBattle(s);
    const res = await s.request('POST', `/v1/battles/${battle.id}/decline`, { token: b.token });
    expect(res.status).toBe(200);
    expect(res.body.battle).toMatchObject({
      id: battle.id,
      status: 'declined',
      endReason: 'declined',
      endedAt: expect.any(Number),
    });
    expect(res.body.battle.winnerStreamId).toBeUndefined();
    expect((await invite(s, b, a)).status).toBe(201);
  });

  it('the challenger cancels: cancelled, and both streams are free again', async () => {
    const { a, b, battle } = await pendingBattle(s);
    const res = await s.request('POST', `/v1/battles/${battle.id}/cancel`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body.battle).toMatchObject({ status: 'cancelled', endReason: 'cancelled' });
    expect((await invite(s, a, b)).status).toBe(201);
  });

  it('only the opponent may decline or accept, only the challenger may cancel: FORBIDDEN changes nothing', async () => {
    const { a, b, battle } = await pendingBattle(s);
    const stranger = await s.createUser();
    const before = await snapshot(s, battle.id, [a.streamId, b.streamId]);
    const refused = [
      ['decline', a.token],
      ['decline', stranger.token],
      ['accept', a.token],
      ['accept', stranger.token],
      ['cancel', b.token],
      ['cancel', stranger.token],
    ] as const;
    for (const [action, token] of refused) {
      const res = await s.request('POST', `/v1/battles/${battle.id}/${action}`, { token });
      expect([action, res.status, res.body.error?.code]).toEqual([action, 403, 'FORBIDDEN']);
    }
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId])).toEqual(before);
  });

  it('a closed invitation can be neither accepted, declined nor cancelled again: CONFLICT changes nothing', async () => {
    const { a, b, battle } = await pendingBattle(s);
    await s.request('POST', `/v1/battles/${battle.id}/decline`, { token: b.token });
    const before = await snapshot(s, battle.id, [a.streamId, b.streamId]);
    for (const [action, token] of [
      ['accept', b.token],
      ['decline', b.token],
      ['cancel', a.token],
    ] as const) {
      const res = await s.request('POST', `/v1/battles/${battle.id}/${action}`, { token });
      expect([action, res.status, res.body.error?.code]).toEqual([action, 409, 'CONFLICT']);
    }
    expect(await snapshot(s, battle.id, [a.streamId, b.streamId])).toEqual(before);
  });

  it('an unknown battle is NOT_FOUND, a malformed id VALIDATION_FAILED, and reading needs no token', async () => {
    const a = await liveCreator(s);
    expect((await s.request('GET', `/v1/battles/${UNKNOWN}`)).status).toBe(404);
    expect((await s.request('POST', `/v1/battles/${UNKNOWN}/accept`, { token: a.token })).status).toBe(404);
    expect((await s.request('GET', '/v1/battles/x')).status).toBe(400);
    expect((await s.request('POST', '/v1/battles/x/accept')).status).toBe(400);
  });

  it('when two challengers race for the same opponent, exactly one invitation is created', async () => {
    const target = await liveCreator(s);
    const challengers = [await liveCreator(s), await liveCreator(s), await liveCreator(s)];
    const results = await Promise.all(challengers.map((c) => invite(s, c, target)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('a stream claimed by an invitation whose process died before recording it is free again after a while', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const c = await liveCreator(s);
    // what a crash between the claim (the stream's slot) and the record (the battle's slot) leaves: a pointer to a
    // battle that was never written, claimed by the stream's script at this moment of Redis's clock
    const ghost = '7c0e9f1a-5b2d-4c3e-8f4a-1b2c3d4e5f60';
    const [status] = await script(s.deps.redis, 'streamBattle')(s.deps.keys.stream(b.streamId), 'claim', ghost, '');
    expect(status).toBe('OK');
    expect((await invite(s, a, b)).status).toBe(409); // fresh: it may be an invitation still being recorded
    // ten seconds later (the claim's time as Redis wrote it, moved back: the state a crash leaves behind)
    const claimedAt = Number(await s.deps.redis.hget(s.deps.keys.stream(b.streamId), 'battleClaimedAt'));
    await s.deps.redis.hset(s.deps.keys.stream(b.streamId), 'battleClaimedAt', claimedAt - 11_000);
    const res = await invite(s, a, b);
    expect(res.status).toBe(201);
    expect(await s.deps.redis.hget(s.deps.keys.stream(b.streamId), 'battleId')).toBe(res.body.battle.id);
    // and nothing was left on the stream of a challenger whose invitation was refused
    expect((await invite(s, c, b)).status).toBe(409);
    expect(await s.deps.redis.hget(s.deps.keys.stream(c.streamId), 'battleId')).toBe('');
  });

  it('when the opponent accepts while the challenger cancels, exactly one of them wins', async () => {
    for (let i = 0; i < 5; i++) {
      const { a, b, battle } = await pendingBattle(s);
      const [accept, cancel] = await Promise.all([
        s.request('POST', `/v1/battles/${battle.id}/accept`, { token: b.token }),
        s.request('POST', `/v1/battles/${battle.id}/cancel`, { token: a.token }),
      ]);
      expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
      const final = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
      expect(final.status).toBe(accept.status === 200 ? 'active' : 'cancelled');
    }
  });

  it('a pending invitation whose stream ends is cancelled (stream_ended), freeing the other stream', async () => {
    const { a, b, battle } = await pendingBattle(s);
    await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    const res = await s.request('GET', `/v1/battles/${battle.id}`);
    expect(res.body.battle).toMatchObject({ status: 'cancelled', endReason: 'stream_ended' });
    const c = await liveCreator(s);
    expect((await invite(s, c, b)).status).toBe(201);
  });
});
