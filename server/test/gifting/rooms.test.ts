import { emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';

describe('watchers join and leave stream rooms', () => {
  let s: TestServer;
  let creator: { user: { id: string }; token: string };
  let streamId: string;

  beforeAll(async () => {
    s = await startTestServer({ viewersPushMs: 50 });
    creator = await s.createUser();
    streamId = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'rooms' } })).body.stream
      .id;
  });
  afterAll(() => s.close());

  it('a late joiner gets the stream, an empty leaderboard, no battle and the viewer count including itself', async () => {
    const anon = await s.connect();
    const ack = await emitAck(anon, 'stream:join', { streamId });
    expect(ack).toEqual({
      ok: true,
      stream: {
        id: streamId,
        creatorId: creator.user.id,
        title: 'rooms',
        status: 'live',
        startedAt: expect.any(Number),
      },
      leaderboard: { items: [] },
      battle: null,
      viewers: 1,
      goal: null,
    });
    expect(await emitAck(anon, 'stream:leave', { streamId })).toEqual({ ok: true });
  });

  it('GET /v1/streams/:id counts every socket in the room, anonymous ones included, and needs no token', async () => {
    const a = await s.connect();
    const b = await s.connect({ token: (await s.createUser()).token });
    await emitAck(a, 'stream:join', { streamId });
    await emitAck(b, 'stream:join', { streamId });
    const res = await s.request('GET', `/v1/streams/${streamId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      stream: expect.objectContaining({ id: streamId, status: 'live' }),
      viewers: 2,
      totalCoins: 0,
    });
    a.disconnect();
    await waitFor(
      () => s.request('GET', `/v1/streams/${streamId}`),
      (r) => r.body.viewers === 1,
    );
    await emitAck(b, 'stream:leave', { streamId });
    expect((await s.request('GET', `/v1/streams/${streamId}`)).body.viewers).toBe(0);
  });

  it('`viewers` is pushed to the room when the count changes', async () => {
    // a stream of its own: what other stories pushed before cannot make a change look like no change
    const c = await s.createUser();
    const streamId = (await s.request('POST', '/v1/streams', { token: c.token, body: { title: 'counted' } })).body
      .stream.id;
    const watcher = await s.connect();
    const seen: number[] = [];
    watcher.on('viewers', (v) => {
      expect(v.streamId).toBe(streamId);
      seen.push(v.count);
    });
    await emitAck(watcher, 'stream:join', { streamId });
    await waitFor(
      () => seen,
      (x) => x.at(-1) === 1,
    );
    const second = await s.connect();
    await emitAck(second, 'stream:join', { streamId });
    await waitFor(
      () => seen,
      (x) => x.at(-1) === 2,
    );
    second.disconnect();
    await waitFor(
      () => seen,
      (x) => x.at(-1) === 1,
    );
    // pushed only on change: no two equal counts in a row
    expect(seen.every((c, i) => i === 0 || c !== seen[i - 1])).toBe(true);
    await emitAck(watcher, 'stream:leave', { streamId });
  });

  it('unknown streams are NOT_FOUND and bad payloads VALIDATION_FAILED', async () => {
    const anon = await s.connect();
    expect(await emitAck(anon, 'stream:join', { streamId: '3b241101-e2bb-4255-8caf-4136c566a962' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await emitAck(anon, 'stream:join', { streamId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await emitAck(anon, 'stream:join', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await s.request('GET', '/v1/streams/3b241101-e2bb-4255-8caf-4136c566a962')).status).toBe(404);
    expect((await s.request('GET', '/v1/streams/nope')).status).toBe(400);
  });

  it("an overlay joins its creator's stream, and no one else's (FORBIDDEN)", async () => {
    const key = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    const overlay = await s.connect({ overlayKey: key });
    expect(await emitAck(overlay, 'stream:join', { streamId })).toMatchObject({ ok: true });
    const other = await s.createUser();
    const otherStream = (await s.request('POST', '/v1/streams', { token: other.token, body: { title: 'other' } })).body
      .stream.id;
    expect(await emitAck(overlay, 'stream:join', { streamId: otherStream })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await emitAck(overlay, 'stream:leave', { streamId });
  });

  it('when the creator ends the stream the room hears `stream:ended`; anonymous watchers can no longer join', async () => {
    const c = await s.createUser();
    const sid = (await s.request('POST', '/v1/streams', { token: c.token, body: { title: 'short' } })).body.stream.id;
    const watcher: TestSocket = await s.connect();
    await emitAck(watcher, 'stream:join', { streamId: sid });
    const ended = new Promise((resolve) => watcher.once('stream:ended', resolve));
    expect((await s.request('POST', `/v1/streams/${sid}/end`, { token: c.token })).status).toBe(200);
    expect(await ended).toEqual({ streamId: sid });
    const late = await s.connect();
    expect(await emitAck(late, 'stream:join', { streamId: sid })).toMatchObject({
      ok: false,
      error: { code: 'STREAM_NOT_LIVE' },
    });
    // a signed-in user may still open an ended stream (its final leaderboard)
    const fan = await s.connect({ token: (await s.createUser()).token });
    expect(await emitAck(fan, 'stream:join', { streamId: sid })).toMatchObject({
      ok: true,
      stream: { status: 'ended' },
    });
  });

  it('a payload larger than the event cap is VALIDATION_FAILED; one past the transport cap closes the socket', async () => {
    const anon = await s.connect();
    expect(await emitAck(anon, 'stream:join', { streamId, junk: 'x'.repeat(2000) })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const closed = new Promise((resolve) => anon.once('disconnect', resolve));
    anon.emit(
      'stream:join',
      { streamId, junk: 'x'.repeat(s.deps.config.socketMaxPayloadBytes + 10) } as { streamId: string },
      () => undefined,
    );
    await closed;
  });
});
