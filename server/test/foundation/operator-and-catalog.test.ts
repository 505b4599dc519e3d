import { startTestServer, type TestServer } from '../support/test-server';

describe('an operator manages users, anyone reads the catalog', () => {
  let s: TestServer;
  const admin = () => s.deps.config.adminToken;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('GET /health answers ok with a request id', async () => {
    const res = await s.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('creating a user returns the User shape and a working token', async () => {
    const res = await s.request('POST', '/v1/admin/users', {
      token: admin(),
      body: { displayName: 'Ada', birthDate: '1991-02-03', verified: true, followers: 12 },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      displayName: 'Ada',
      birthDate: '1991-02-03',
      verified: true,
      followers: 12,
      suspended: false,
    });
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const token = await s.request('POST', `/v1/admin/users/${res.body.user.id}/token`, { token: admin() });
    expect(token.status).toBe(200);
    expect((await s.request('POST', '/v1/overlay-key', { token: token.body.token })).status).toBe(201);
  });

  it('defaults: not verified, no followers', async () => {
    const res = await s.request('POST', '/v1/admin/users', {
      token: admin(),
      body: { displayName: 'Bo', birthDate: '2001-12-31' },
    });
    expect(res.body.user).toMatchObject({ verified: false, followers: 0 });
  });

  it.each([
    [{ displayName: '', birthDate: '1990-01-01' }, 'displayName'],
    [{ displayName: 'x'.repeat(41), birthDate: '1990-01-01' }, 'displayName'],
    [{ displayName: 'A', birthDate: '1990-13-01' }, 'birthDate'],
    [{ displayName: 'A', birthDate: '1990-02-30' }, 'birthDate'],
    [{ displayName: 'A', birthDate: '1990-01-01', followers: -1 }, 'followers'],
    [{ displayName: 'A', birthDate: '1990-01-01', followers: 1.5 }, 'followers'],
    [{ displayName: 'A', birthDate: '1990-01-01', verified: 'yes' }, 'verified'],
    [{ displayName: 'A', birthDate: '1990-01-01', role: 'admin' }, 'body'],
  ])('a bad body %j is VALIDATION_FAILED naming %s, and creates nobody', async (body, field) => {
    const before = await s.deps.redis.scard(s.deps.keys.users);
    const res = await s.request('POST', '/v1/admin/users', { token: admin(), body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await s.deps.redis.scard(s.deps.keys.users)).toBe(before);
  });

  it('malformed JSON and an oversized body are VALIDATION_FAILED', async () => {
    const res = await s.request('POST', '/v1/admin/users', { token: admin(), body: '{"displayName":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const big = await s.request('POST', '/v1/admin/users', {
      token: admin(),
      body: { displayName: 'A', birthDate: '1990-01-01', pad: 'x'.repeat(64 * 1024) },
    });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('PATCH changes verification and followers; unknown users are NOT_FOUND', async () => {
    const { user } = await s.createUser({ verified: false });
    const res = await s.request('PATCH', `/v1/admin/users/${user.id}`, {
      token: admin(),
      body: { verified: true, followers: 5000, dailySpendLimitCoins: 100 },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ verified: true, followers: 5000 });
    const missing = await s.request('PATCH', '/v1/admin/users/3b241101-e2bb-4255-8caf-4136c566a962', {
      token: admin(),
      body: { verified: true },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('dev login makes a new adult verified user', async () => {
    const res = await s.request('POST', '/v1/dev/login', { body: { displayName: 'Demo' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'Demo', verified: true });
    expect(typeof res.body.token).toBe('string');
  });

  it('the catalog lists gifts and packs, with the price per coin never rising with size', async () => {
    const gifts = (await s.request('GET', '/v1/gifts')).body.gifts as Array<{ id: string; coins: number }>;
    const byId = Object.fromEntries(gifts.map((g) => [g.id, g.coins]));
    expect(byId).toMatchObject({ rose: 1, 'luxury-car': 2699, universe: 34999 });
    for (const g of gifts) expect(Object.keys(g).sort()).toEqual(['coins', 'id', 'name', 'streakable', 'tier']);
    const packs = (await s.request('GET', '/v1/coin-packages')).body.packages as Array<{
      coins: number;
      priceCents: number;
      currency: string;
    }>;
    expect(packs.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < packs.length; i++) {
      expect(packs[i]!.coins).toBeGreaterThan(packs[i - 1]!.coins);
      expect(packs[i]!.priceCents / packs[i]!.coins).toBeLessThanOrEqual(
        packs[i - 1]!.priceCents / packs[i - 1]!.coins,
      );
    }
  });

  it('unknown routes answer NOT_FOUND in the error shape', async () => {
    const res = await s.request('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('in production', () => {
  it('the development login route does not exist', async () => {
    const s = await startTestServer({ env: 'production' });
    try {
      const res = await s.request('POST', '/v1/dev/login', { body: { displayName: 'Demo' } });
      expect(res.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
