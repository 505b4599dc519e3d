import { SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server';

function b64url(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

describe('tokens are checked the same way over REST and Socket.io', () => {
  let s: TestServer;
  let userId: string;
  let good: string;
  const bad: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    const created = await s.createUser();
    userId = created.user.id;
    good = created.token;
    const now = Math.floor(Date.now() / 1000);
    bad.forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('not-the-server-secret-at-all-123'));
    bad.expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(s.deps.config.jwtSecret));
    bad.algNone = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: userId, exp: now + 600 })}.`;
    bad.noExpiry = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .sign(new TextEncoder().encode(s.deps.config.jwtSecret));
    bad.garbage = 'not.a.jwt';
  });
  afterAll(() => s.close());

  it('a valid token opens user routes', async () => {
    const res = await s.request('POST', '/v1/overlay-key', { token: good });
    expect(res.status).toBe(201);
    expect(typeof res.body.overlayKey).toBe('string');
  });

  it.each(['forged', 'expired', 'algNone', 'noExpiry', 'garbage'])(
    'a %s token is refused over REST with UNAUTHORIZED',
    async (kind) => {
      const res = await s.request('POST', '/v1/overlay-key', { token: bad[kind] });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    },
  );

  it('a missing or malformed Authorization header is UNAUTHORIZED', async () => {
    expect((await s.request('POST', '/v1/overlay-key')).status).toBe(401);
    const res = await s.request('POST', '/v1/overlay-key', { headers: { authorization: `Token ${good}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it.each(['forged', 'expired', 'algNone', 'noExpiry', 'garbage'])(
    'a %s token fails the Socket.io handshake with UNAUTHORIZED',
    async (kind) => {
      await expect(s.connect({ token: bad[kind] })).rejects.toThrow('UNAUTHORIZED');
    },
  );

  it('a valid token connects a user socket, and no token connects an anonymous watcher', async () => {
    const user = await s.connect({ token: good });
    expect(user.connected).toBe(true);
    const anon = await s.connect();
    expect(anon.connected).toBe(true);
  });

  it('an overlay key connects, a replaced one no longer does', async () => {
    const first = (await s.request('POST', '/v1/overlay-key', { token: good })).body.overlayKey as string;
    const overlay = await s.connect({ overlayKey: first });
    expect(overlay.connected).toBe(true);
    await s.request('POST', '/v1/overlay-key', { token: good });
    await expect(s.connect({ overlayKey: first })).rejects.toThrow('UNAUTHORIZED');
  });

  it('the operator routes refuse user tokens', async () => {
    const res = await s.request('POST', '/v1/admin/users', {
      token: good,
      body: { displayName: 'x', birthDate: '1990-01-01' },
    });
    expect(res.status).toBe(401);
  });
});
