import { randomUUID } from 'node:crypto';
import { emitAck } from '../../../shared/testing/harness';
import { fan, liveStream, send } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * A creator sets a goal on their live stream, reads it back, lists the stream's goals and ends it; everyone else
 * gets the contract's errors: another user FORBIDDEN, an ended stream STREAM_NOT_LIVE, a second unended goal
 * CONFLICT, a bad body VALIDATION_FAILED, an unknown stream or goal NOT_FOUND, no token UNAUTHORIZED.
 */
describe('goals: set, read, list and end, and the errors around them', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const post = (path: string, token: string | undefined, body?: unknown) =>
    s.request('POST', path, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });
  const code = (r: { body: { error?: { code: string } } }) => r.body.error?.code;

  it('the creator sets a goal, reads it, lists it newest first and ends it; stream:join shows the unended one', async () => {
    const { creator, streamId } = await liveStream(s);
    const created = await post(`/v1/streams/${streamId}/goals`, creator.token, {
      title: '  New camera  ',
      targetCoins: 500,
    });
    expect(created.status).toBe(201);
    const goal = created.body.goal;
    expect(goal).toEqual({
      id: expect.any(String),
      streamId,
      title: 'New camera',
      targetCoins: 500,
      giftId: null,
      progressCoins: 0,
      status: 'active',
      createdAt: expect.any(Number),
      reachedAt: null,
    });
    expect((await s.request('GET', `/v1/goals/${goal.id}`)).body).toEqual({ goal });
    const watcher = await s.connect();
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true, goal });

    const ended = await post(`/v1/goals/${goal.id}/end`, creator.token);
    expect(ended.status).toBe(200);
    expect(ended.body.goal).toEqual({ ...goal, status: 'ended' });
    // ending it again answers it as it is
    expect((await post(`/v1/goals/${goal.id}/end`, creator.token)).body).toEqual(ended.body);
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true, goal: null });

    const second = await post(`/v1/streams/${streamId}/goals`, creator.token, {
      title: 'Rose rain',
      targetCoins: 99,
      giftId: 'rose',
    });
    expect(second.status).toBe(201);
    expect(second.body.goal).toMatchObject({ giftId: 'rose', status: 'active' });
    const list = await s.request('GET', `/v1/streams/${streamId}/goals`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([second.body.goal.id, goal.id]);
  });

  it('another user is FORBIDDEN, a second unended goal CONFLICT, an ended stream STREAM_NOT_LIVE', async () => {
    const { creator, streamId } = await liveStream(s);
    const other = await s.createUser();
    const body = { title: 'Goal', targetCoins: 10 };
    const stranger = await post(`/v1/streams/${streamId}/goals`, other.token, body);
    expect([stranger.status, code(stranger)]).toEqual([403, 'FORBIDDEN']);

    const goal = (await post(`/v1/streams/${streamId}/goals`, creator.token, body)).body.goal;
    const again = await post(`/v1/streams/${streamId}/goals`, creator.token, body);
    expect([again.status, code(again)]).toEqual([409, 'CONFLICT']);
    const endByStranger = await post(`/v1/goals/${goal.id}/end`, other.token);
    expect([endByStranger.status, code(endByStranger)]).toEqual([403, 'FORBIDDEN']);

    // ending the stream ends its goal; a goal on an ended stream is STREAM_NOT_LIVE (the creator's own, still)
    expect((await post(`/v1/streams/${streamId}/end`, creator.token)).status).toBe(200);
    expect((await s.request('GET', `/v1/goals/${goal.id}`)).body.goal.status).toBe('ended');
    const late = await post(`/v1/streams/${streamId}/goals`, creator.token, body);
    expect([late.status, code(late)]).toEqual([409, 'STREAM_NOT_LIVE']);
    const lateStranger = await post(`/v1/streams/${streamId}/goals`, other.token, body);
    expect([lateStranger.status, code(lateStranger)]).toEqual([403, 'FORBIDDEN']);
  });

  it('bad bodies are VALIDATION_FAILED, unknown ids NOT_FOUND, a missing token UNAUTHORIZED; nothing is stored', async () => {
    const { creator, streamId } = await liveStream(s);
    const bad = [
      { title: '', targetCoins: 10 },
      { title: 'x'.repeat(61), targetCoins: 10 },
      { title: 'ok', targetCoins: 0 },
      { title: 'ok', targetCoins: 1_000_000_001 },
      { title: 'ok', targetCoins: 1.5 },
      { title: 'ok', targetCoins: 10, giftId: 'no-such-gift' },
      { title: 'ok', targetCoins: 10, extra: true },
      { targetCoins: 10 },
    ];
    for (const body of bad) {
      const r = await post(`/v1/streams/${streamId}/goals`, creator.token, body);
      expect([JSON.stringify(body), r.status, code(r)]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
    }
    const noToken = await post(`/v1/streams/${streamId}/goals`, undefined, { title: 'ok', targetCoins: 10 });
    expect([noToken.status, code(noToken)]).toEqual([401, 'UNAUTHORIZED']);
    const unknownStream = await post(`/v1/streams/${randomUUID()}/goals`, creator.token, {
      title: 'ok',
      targetCoins: 1,
    });
    expect([unknownStream.status, code(unknownStream)]).toEqual([404, 'NOT_FOUND']);
    for (const path of [`/v1/goals/${randomUUID()}`, `/v1/streams/${randomUUID()}/goals`]) {
      const r = await s.request('GET', path);
      expect([path, r.status, code(r)]).toEqual([path, 404, 'NOT_FOUND']);
    }
    const endUnknown = await post(`/v1/goals/${randomUUID()}/end`, creator.token);
    expect([endUnknown.status, code(endUnknown)]).toEqual([404, 'NOT_FOUND']);
    const badId = await s.request('GET', '/v1/goals/not-a-uuid');
    expect([badId.status, code(badId)]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await s.request('GET', `/v1/streams/${streamId}/goals`)).body).toEqual({ items: [] });
  });

  it('only gifts accepted after the goal count, only of its gift when it names one', async () => {
    const { creator, streamId } = await liveStream(s);
    const eve = await fan(s, 1_000);
    expect((await send(eve.socket, streamId, 'perfume')).ok).toBe(true); // before the goal: not counted
    const goal = (
      await post(`/v1/streams/${streamId}/goals`, creator.token, { title: 'Roses', targetCoins: 5, giftId: 'rose' })
    ).body.goal;
    expect((await send(eve.socket, streamId, 'perfume')).ok).toBe(true); // another gift: not counted
    expect((await send(eve.socket, streamId, 'rose', 3)).ok).toBe(true);
    const read = async () => (await s.request('GET', `/v1/goals/${goal.id}`)).body.goal;
    expect(await read()).toMatchObject({ progressCoins: 3, status: 'active', reachedAt: null });
    const reaching = await send(eve.socket, streamId, 'rose', 2);
    if (!reaching.ok) throw new Error(reaching.error.code);
    expect(await read()).toMatchObject({ progressCoins: 5, status: 'reached', reachedAt: reaching.gift.at });
    expect((await send(eve.socket, streamId, 'rose')).ok).toBe(true); // later gifts still add
    expect(await read()).toMatchObject({ progressCoins: 6, status: 'reached', reachedAt: reaching.gift.at });
  });
});
