import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { revokeTokens } from '../../../shared/domain/accounts';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream, send } from '../gifting/fixtures';

/** Signs a token with the server's own secret and whatever claims the story needs. */
function mint(s: TestServer, sub: string, claims: Record<string, unknown>, iss?: string, aud?: string) {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now);
  if (iss !== undefined) jwt = jwt.setIssuer(iss);
  if (aud !== undefined) jwt = jwt.setAudience(aud);
  return jwt.setExpirationTime(now + 600).sign(new TextEncoder().encode(s.deps.config.jwtSecret));
}

const wallet = (s: TestServer, token: string) => s.request('GET', '/v1/wallet', { token });

describe('a token minted for another service, or issued before a revocation, opens nothing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('tokens Giftwire issues carry iss and aud "giftwire" and work', async () => {
    const { token } = await s.createUser();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: 'giftwire', aud: 'giftwire' });
    expect(typeof claims.iat_ms).toBe('number');
    expect((await wallet(s, token)).status).toBe(200);
  });

  it.each([
    ['no iss nor aud', undefined, undefined],
    ['no aud', 'giftwire', undefined],
    ['no iss', undefined, 'giftwire'],
    ['another audience', 'giftwire', 'billing'],
    ['another issuer', 'billing', 'giftwire'],
  ])('a token with %s, same secret, is UNAUTHORIZED over REST and Socket.io', async (_name, iss, aud) => {
    const { user } = await s.createUser();
    const token = await mint(s, user.id, { iat_ms: Date.now() }, iss, aud);
    const res = await wallet(s, token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    await expect(s.connect({ token })).rejects.toThrow('UNAUTHORIZED');
  });

  it('a revocation refuses tokens issued up to its millisecond, even earlier in the same second, and no later ones', async () => {
    const { user, token: before } = await s.createUser();
    expect((await wallet(s, before)).status).toBe(200);
    const res = await s.request('POST', `/v1/admin/users/${user.id}/revoke-tokens`, {
      token: s.deps.config.adminToken,
    });
    expect(res.status).toBe(200);
    const revokedAt = res.body.revokedAt as number;
    expect(Number.isInteger(revokedAt)).toBe(true);

    // earlier in the same second as the revocation (or at its very millisecond when it fell on a whole second)
    const earlier = revokedAt % 1000 === 0 ? revokedAt : revokedAt - 1;
    const sameSecondEarlier = await mint(s, user.id, { iat_ms: earlier }, 'giftwire', 'giftwire');
    const oneMsLater = await mint(s, user.id, { iat_ms: revokedAt + 1 }, 'giftwire', 'giftwire');
    for (const t of [before, sameSecondEarlier]) {
      const r = await wallet(s, t);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
      await expect(s.connect({ token: t })).rejects.toThrow('UNAUTHORIZED');
    }
    expect((await wallet(s, oneMsLater)).status).toBe(200);

    // a token minted by the operator right after the answer works: the answer waited for the clock to pass
    const fresh = await s.request('POST', `/v1/admin/users/${user.id}/token`, { token: s.deps.config.adminToken });
    expect((await wallet(s, fresh.body.token)).status).toBe(200);
  });

  it('a connected socket holding a revoked token is refused on its next gift:send', async () => {
    const { streamId } = await liveStream(s);
    const { user, token } = await s.createUser();
    await s.request('POST', '/v1/wallet/recharges', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 10, payment: { token: 'tok_ok' } },
    });
    const socket = await s.connect({ token });
    expect((await send(socket, streamId, 'rose')).ok).toBe(true);
    // revoked behind the socket's back (no route, so nobody tells or drops it): the send itself must refuse
    await revokeTokens(s.deps, user.id);
    const ack = await send(socket, streamId, 'rose');
    expect(ack).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await wallet(s, token)).status).toBe(401);
    const fresh = await s.request('POST', `/v1/admin/users/${user.id}/token`, { token: s.deps.config.adminToken });
    expect((await wallet(s, fresh.body.token)).body.coins).toBe(9);
  });

  it("the operator route tells the user's sockets and disconnects them", async () => {
    const { user, token } = await s.createUser();
    const socket = await s.connect({ token });
    const told = new Promise<{ revokedAt: number }>((resolve) => socket.once('account:revoked', resolve));
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const res = await s.request('POST', `/v1/admin/users/${user.id}/revoke-tokens`, {
      token: s.deps.config.adminToken,
    });
    expect((await told).revokedAt).toBe(res.body.revokedAt);
    expect(await dropped).toBe('io server disconnect');
  });

  it('revoking needs the operator token and a known user', async () => {
    const { user, token } = await s.createUser();
    const asUser = await s.request('POST', `/v1/admin/users/${user.id}/revoke-tokens`, { token });
    expect(asUser.status).toBe(401);
    const unknown = await s.request('POST', `/v1/admin/users/${randomUUID()}/revoke-tokens`, {
      token: s.deps.config.adminToken,
    });
    expect(unknown.status).toBe(404);
    expect((await wallet(s, token)).status).toBe(200);
  });
});
