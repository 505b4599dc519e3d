import { randomUUID } from 'node:crypto';
import type { Config } from '../../../shared/config';
import { uniquePrefix } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue #16, defect 9: REST had no rate limits. Each limit, set low here, answers 429 RATE_LIMITED with a
 * Retry-After once spent, moves nothing, and holds across server processes (it lives in Redis).
 */
describe('REST rate limits per user and per address', () => {
  const servers: TestServer[] = [];
  const start = async (limits: Partial<Config>) => {
    const s = await startTestServer(limits);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const expectLimited = (res: { status: number; body: any; headers: Headers }) => {
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  };
  const login = (s: TestServer) => s.request('POST', '/v1/dev/login', { body: { displayName: 'Flood' } });

  it('dev logins per address, shared by every server process on the same Redis', async () => {
    const keyPrefix = uniquePrefix();
    const a = await start({ rateLimitDevLogin: 4, keyPrefix });
    const b = await start({ rateLimitDevLogin: 4, keyPrefix });
    for (const s of [a, b, a, b]) expect((await login(s)).status).toBe(200);
    expectLimited(await login(a));
    expectLimited(await login(b));
  });

  it('recharges per user: the next one is refused and credits nothing; another user is not affected', async () => {
    const s = await start({ rateLimitMoney: 3 });
    const ann = await s.createUser();
    const bob = await s.createUser();
    const buy = (token: string) =>
      s.request('POST', '/v1/wallet/recharges', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: { coins: 10, payment: { token: 'tok_ok' } },
      });
    for (let i = 0; i < 3; i++) expect((await buy(ann.token)).status).toBe(201);
    expectLimited(await buy(ann.token));
    expect((await s.request('GET', '/v1/wallet', { token: ann.token })).body.coins).toBe(30);
    expect((await buy(bob.token)).status).toBe(201);
  });

  it('payouts count with recharges', async () => {
    const s = await start({ rateLimitMoney: 1 });
    const ann = await s.createUser();
    const payout = await s.request('POST', '/v1/payouts', {
      token: ann.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { diamonds: 5000 },
    });
    expect(payout.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expectLimited(
      await s.request('POST', '/v1/payouts', {
        token: ann.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { diamonds: 5000 },
      }),
    );
  });

  it('overlay key rotations per user', async () => {
    const s = await start({ rateLimitOverlayKey: 2 });
    const ann = await s.createUser();
    const rotate = () => s.request('POST', '/v1/overlay-key', { token: ann.token });
    const first = await rotate();
    const second = await rotate();
    expect([first.status, second.status]).toEqual([201, 201]);
    expectLimited(await rotate());
    // the refused rotation replaced nothing: the last key issued still works
    const check = await s.request('GET', '/v1/overlay/stream', {
      headers: { 'x-overlay-key': second.body.overlayKey },
    });
    expect(check.status).toBe(200);
  });

  it('battle actions per user', async () => {
    const s = await start({ rateLimitBattles: 2 });
    const ann = await s.createUser();
    const act = () => s.request('POST', `/v1/battles/${randomUUID()}/cancel`, { token: ann.token });
    expect((await act()).status).toBe(404);
    expect((await act()).status).toBe(404);
    expectLimited(await act());
  });

  it('refused operator calls per address bound token guessing; the operator itself is not limited', async () => {
    const s = await start({ rateLimitOperatorFailures: 3, rateLimitPerAddress: 5 });
    const guess = () =>
      s.request('POST', '/v1/admin/users', {
        token: `guess-${randomUUID()}`,
        body: { displayName: 'x', birthDate: '1990-01-01' },
      });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expectLimited(await guess());
    for (let i = 0; i < 8; i++) await s.createUser(); // the operator token: neither limit counts it
  });

  it('every request per signed-in user, and per address', async () => {
    const s = await start({ rateLimitPerUser: 4, rateLimitPerAddress: 12 });
    const ann = await s.createUser();
    for (let i = 0; i < 4; i++) expect((await s.request('GET', '/v1/wallet', { token: ann.token })).status).toBe(200);
    expectLimited(await s.request('GET', '/v1/wallet', { token: ann.token }));
    for (let i = 0; i < 7; i++) expect((await s.request('GET', '/v1/gifts')).status).toBe(200);
    expectLimited(await s.request('GET', '/v1/gifts'));
  });
});
