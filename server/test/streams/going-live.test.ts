import { startTestServer, type TestServer } from '../support/test-server';

describe('creators go live and end their streams', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('an eligible creator goes live once; a second stream while live is CONFLICT', async () => {
    const { token, user } = await s.createUser({ verified: true });
    const res = await s.request('POST', '/v1/streams', { token, body: { title: 'Friday night' } });
    expect(res.status).toBe(201);
    expect(res.body.stream).toEqual({
      id: expect.any(String),
      creatorId: user.id,
      title: 'Friday night',
      status: 'live',
      startedAt: expect.any(Number),
    });
    const again = await s.request('POST', '/v1/streams', { token, body: { title: 'Again' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('1000 followers make an unverified creator eligible; fewer is NOT_ELIGIBLE', async () => {
    const popular = await s.createUser({ verified: false, followers: 1000 });
    expect((await s.request('POST', '/v1/streams', { token: popular.token, body: { title: 't' } })).status).toBe(201);
    const unknown = await s.createUser({ verified: false, followers: 999 });
    const res = await s.request('POST', '/v1/streams', { token: unknown.token, body: { title: 't' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('a minor cannot go live (AGE_RESTRICTED wins over NOT_ELIGIBLE)', async () => {
    const year = new Date().getUTCFullYear() - 15;
    const minor = await s.createUser({ verified: false, birthDate: `${year}-01-01` });
    const res = await s.request('POST', '/v1/streams', { token: minor.token, body: { title: 't' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('AGE_RESTRICTED');
  });

  it('validation comes before identity: a bad body without a token is VALIDATION_FAILED', async () => {
    const res = await s.request('POST', '/v1/streams', { body: { title: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await s.request('POST', '/v1/streams', { body: { title: 'ok' } })).status).toBe(401);
  });

  it('only the creator ends a stream; ending it twice is CONFLICT; then they may go live again', async () => {
    const creator = await s.createUser();
    const other = await s.createUser();
    const { stream } = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'x' } })).body;
    const forbidden = await s.request('POST', `/v1/streams/${stream.id}/end`, { token: other.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const ended = await s.request('POST', `/v1/streams/${stream.id}/end`, { token: creator.token });
    expect(ended.status).toBe(200);
    expect(ended.body.stream).toMatchObject({ id: stream.id, status: 'ended', endedAt: expect.any(Number) });
    const twice = await s.request('POST', `/v1/streams/${stream.id}/end`, { token: creator.token });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CONFLICT');
    expect((await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'y' } })).status).toBe(201);
  });

  it('ending an unknown stream is NOT_FOUND', async () => {
    const creator = await s.createUser();
    const res = await s.request('POST', '/v1/streams/3b241101-e2bb-4255-8caf-4136c566a962/end', {
      token: creator.token,
    });
    expect(res.status).toBe(404);
  });
});
