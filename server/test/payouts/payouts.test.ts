import { randomUUID } from 'node:crypto';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { earnDiamonds } from '../../../shared/testing/money';
import { startWorkers, type RunningWorkers } from '../../../workers/start';

async function walletOf(s: TestServer, userId: string) {
  const h = await s.deps.redis.hgetall(s.deps.keys.wallet(userId));
  return {
    diamonds: Number(h.diamonds ?? 0),
    diamondsPaidOut: Number(h.diamondsPaidOut ?? 0),
    diamondsEarned: Number(h.diamondsEarned ?? 0),
  };
}

describe('creators cash their diamonds out', () => {
  let s: TestServer;
  let workers: RunningWorkers;
  beforeAll(async () => {
    s = await startTestServer();
    workers = await startWorkers(s.deps);
  });
  afterAll(async () => {
    await workers.close();
    await s.close();
  });

  /** `key: null` sends no Idempotency-Key header. */
  const payout = (token: string, body: unknown, key: string | null = randomUUID()) =>
    s.request('POST', '/v1/payouts', { token, body, headers: key === null ? {} : { 'idempotency-key': key } });
  const payouts = (token: string) => s.request('GET', '/v1/payouts', { token });

  it('a payout takes the diamonds at once, is 202 pending at half a cent a diamond, and a worker pays it', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 5000);
    const res = await payout(token, { diamonds: 2001 });
    expect(res.status).toBe(202);
    expect(res.body.payout).toMatchObject({
      id: expect.any(String),
      diamonds: 2001,
      amountCents: 1000,
      currency: 'USD',
      status: 'pending',
    });
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 2999, diamondsPaidOut: 2001 });

    const listed = await waitFor(
      () => payouts(token),
      (r) => r.body.items?.[0]?.status === 'paid',
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: res.body.payout.id, status: 'paid', diamonds: 2001, paidAt: expect.any(Number) }),
    ]);
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 2999, diamondsPaidOut: 2001, diamondsEarned: 5000 });
    expect((await s.request('GET', '/v1/wallet', { token })).body.diamonds).toBe(2999);
    const history = await s.request('GET', '/v1/wallet/transactions', { token });
    expect(history.body.items[0]).toMatchObject({
      type: 'payout',
      diamonds: -2001,
      status: 'paid',
      ref: res.body.payout.id,
    });
  });

  it('a repeat with the same key and body returns the first answer and moves nothing more; another body is IDEMPOTENCY_CONFLICT', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 10_000);
    const key = randomUUID();
    const first = await payout(token, { diamonds: 3000 }, key);
    const again = await payout(token, { diamonds: 3000, destination: 'acct_ok' }, key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await payout(token, { diamonds: 4000 }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await walletOf(s, user.id)).diamonds).toBe(7000);
    await waitFor(
      () => payouts(token),
      (r) => r.body.items?.[0]?.status === 'paid',
    );
    expect((await payouts(token)).body.items).toHaveLength(1);
  });

  it('below the minimum is BELOW_THRESHOLD and binds nothing, so the key may be used again', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 2500);
    const key = randomUUID();
    const small = await payout(token, { diamonds: 1999 }, key);
    expect(small.status).toBe(422);
    expect(small.body.error.code).toBe('BELOW_THRESHOLD');
    expect((await walletOf(s, user.id)).diamonds).toBe(2500);
    expect((await payout(token, { diamonds: 2000 }, key)).status).toBe(202);
  });

  it('beyond the balance is INSUFFICIENT_FUNDS and nothing moves', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 2500);
    const res = await payout(token, { diamonds: 2501 });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 2500, diamondsPaidOut: 0 });
    expect((await payouts(token)).body.items).toEqual([]);
  });

  it('a payout the provider fails gives the diamonds back', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 4000);
    const added = await s.request('POST', '/v1/payout-destinations', { token, body: { destination: 'acct_fail' } });
    expect(added.status).toBe(201);
    const res = await payout(token, { diamonds: 4000, destination: 'acct_fail' });
    expect(res.status).toBe(202);
    expect((await walletOf(s, user.id)).diamonds).toBe(0);
    const listed = await waitFor(
      () => payouts(token),
      (r) => r.body.items?.[0]?.status === 'failed',
    );
    expect(listed.body.items[0]).toMatchObject({
      id: res.body.payout.id,
      status: 'failed',
      failedAt: expect.any(Number),
    });
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 4000, diamondsPaidOut: 0 });
    const history = await s.request('GET', '/v1/wallet/transactions', { token });
    expect(history.body.items[0]).toMatchObject({
      type: 'payout',
      diamonds: -4000,
      status: 'failed',
      ref: res.body.payout.id,
    });
  });

  it('ten concurrent payouts of 2000 from a balance of 5000: exactly two succeed, nothing overspent', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 5000);
    const results = await Promise.all(Array.from({ length: 10 }, () => payout(token, { diamonds: 2000 })));
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([202, 202, 402, 402, 402, 402, 402, 402, 402, 402]);
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 1000, diamondsPaidOut: 4000 });
  });

  it('five concurrent repeats of one request make one payout', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 3000);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => payout(token, { diamonds: 2000 }, key)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(results.map((r) => r.body.payout.id)).size).toBe(1);
    expect(await walletOf(s, user.id)).toMatchObject({ diamonds: 1000, diamondsPaidOut: 2000 });
  });

  it('only adults who are eligible creators cash out; errors keep the contract order', async () => {
    const year = new Date().getUTCFullYear() - 16;
    const minor = await s.createUser({ birthDate: `${year}-01-01`, verified: false });
    expect((await payout(minor.token, { diamonds: 2000 })).body.error.code).toBe('AGE_RESTRICTED');
    const unknown = await s.createUser({ verified: false, followers: 10 });
    const notEligible = await payout(unknown.token, { diamonds: 2000 });
    expect(notEligible.status).toBe(403);
    expect(notEligible.body.error.code).toBe('NOT_ELIGIBLE');
    expect((await payout('', { diamonds: 2000 })).status).toBe(401);
    expect((await payout('', { diamonds: -1 })).body.error.code).toBe('VALIDATION_FAILED');
    const { token } = await s.createUser();
    const noKey = await payout(token, { diamonds: 2000 }, null);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('VALIDATION_FAILED');
    expect((await payout(token, { diamonds: 2000, extra: 1 })).body.error.code).toBe('VALIDATION_FAILED');
  });

  it("GET /v1/payouts lists only the caller's payouts, newest first, in pages", async () => {
    const a = await s.createUser();
    const b = await s.createUser();
    await earnDiamonds(s.deps, a.user, 9000);
    await earnDiamonds(s.deps, b.user, 9000);
    const ids = [];
    for (const d of [2000, 2100, 2200]) ids.push((await payout(a.token, { diamonds: d })).body.payout.id);
    await payout(b.token, { diamonds: 2000 });
    const first = await s.request('GET', '/v1/payouts?limit=2', { token: a.token });
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const second = await s.request('GET', `/v1/payouts?limit=2&cursor=${first.body.nextCursor}`, { token: a.token });
    expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await s.request('GET', '/v1/payouts')).status).toBe(401);
  });
});
