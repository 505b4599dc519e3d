import { randomUUID } from 'node:crypto';
import { reconcile } from '../../../shared/domain/reconcile';
import { earnDiamonds } from '../../../shared/testing/money';
import { startTestServer, type TestServer } from '../support/test-server';

/** A stolen token should not cash out: held earnings, cooled-down destinations, a daily cap and a review. */
describe('payouts draw only on withdrawable diamonds, to usable destinations, within the cap, past review', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      earningsHoldSec: 0,
      payoutDestinationCooldownSec: 3600,
      payoutDailyMaxDiamonds: 10_000,
      payoutReviewDiamonds: 5000,
    });
  });
  afterAll(() => s.close());

  const admin = () => s.deps.config.adminToken;
  const payout = (token: string, body: unknown, key = randomUUID()) =>
    s.request('POST', '/v1/payouts', { token, body, headers: { 'idempotency-key': key } });
  const addDestination = (token: string, destination: string) =>
    s.request('POST', '/v1/payout-destinations', { token, body: { destination } });
  const wallet = async (token: string) => (await s.request('GET', '/v1/wallet', { token })).body;
  /** Makes a destination usable now, as if its cooldown had passed. */
  async function coolDown(userId: string, destination: string) {
    const key = s.deps.keys.payoutDestinations(userId);
    const rec = JSON.parse((await s.deps.redis.hget(key, destination))!);
    await s.deps.redis.hset(key, destination, JSON.stringify({ ...rec, usableAt: rec.usableAt - 3_600_000 }));
  }

  it('a new destination is usable only after its cooldown; until then, and for unregistered ones, NOT_ELIGIBLE', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 4000);
    const added = await addDestination(token, 'acct_attacker.offshore-999');
    expect(added.status).toBe(201);
    expect(added.body.destination).toMatchObject({ id: expect.any(String), destination: 'acct_attacker.offshore-999' });
    expect(added.body.destination.usableAt).toBeGreaterThan(Date.now() + 3_500_000);
    // the same destination again: the same record, the cooldown does not restart
    expect((await addDestination(token, 'acct_attacker.offshore-999')).body.destination).toEqual(
      added.body.destination,
    );

    for (const body of [
      { diamonds: 2000, destination: 'acct_attacker.offshore-999' },
      { diamonds: 2000 },
      { diamonds: 2000, destination: 'acct_never_registered' },
    ]) {
      const res = await payout(token, body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('NOT_ELIGIBLE');
    }
    expect(await wallet(token)).toMatchObject({ diamonds: 4000, withdrawableDiamonds: 4000 });

    await coolDown(user.id, 'acct_attacker.offshore-999');
    const ok = await payout(token, { diamonds: 2000 });
    expect(ok.status).toBe(202);
    expect(ok.body.payout).toMatchObject({ status: 'pending', diamonds: 2000 });
    const listed = await s.request('GET', '/v1/payout-destinations', { token });
    expect(listed.body.items).toEqual([
      { id: added.body.destination.id, destination: 'acct_attacker.offshore-999', usableAt: expect.any(Number) },
    ]);
  });

  it('a creator with none registered uses the sandbox default outside production; validation comes first', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 2000);
    expect((await addDestination(token, '')).status).toBe(400);
    expect((await addDestination(token, 'x'.repeat(101))).status).toBe(400);
    const res = await payout(token, { diamonds: 2000 });
    expect(res.status).toBe(202);
    const { viewer } = { viewer: await s.createUser({ verified: false }) };
    const notCreator = await addDestination(viewer.token, 'acct_ok');
    expect(notCreator.status).toBe(403);
    expect(notCreator.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('the daily cap: a payout that would pass it is PAYOUT_LIMIT_EXCEEDED and moves nothing', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 12_000);
    expect((await payout(token, { diamonds: 4000 })).status).toBe(202);
    expect((await payout(token, { diamonds: 4000 })).status).toBe(202);
    const over = await payout(token, { diamonds: 2001 });
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('PAYOUT_LIMIT_EXCEEDED');
    expect(await wallet(token)).toMatchObject({ diamonds: 4000 });
    expect((await payout(token, { diamonds: 2000 })).status).toBe(202);
  });

  it('a big payout waits in review; approve and reject are idempotent, the opposite is CONFLICT', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 16_000);
    const a = await payout(token, { diamonds: 5000 });
    const b = await payout(token, { diamonds: 5000 });
    const small = await payout(token, { diamonds: 2000 }, randomUUID());
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.payout.status).toBe('review');
    expect(small.status).toBe(403); // 12,000 today would pass the 10,000 cap
    expect(await wallet(token)).toMatchObject({ diamonds: 6000 });

    const approve = (id: string) => s.request('POST', `/v1/admin/payouts/${id}/approve`, { token: admin() });
    const reject = (id: string) => s.request('POST', `/v1/admin/payouts/${id}/reject`, { token: admin() });
    const first = await approve(a.body.payout.id);
    expect(first.status).toBe(200);
    expect(first.body.payout).toMatchObject({ id: a.body.payout.id, status: 'pending' });
    expect((await approve(a.body.payout.id)).body.payout.id).toBe(a.body.payout.id);
    expect((await reject(a.body.payout.id)).body.error.code).toBe('CONFLICT');

    const rejected = await reject(b.body.payout.id);
    expect(rejected.body.payout).toMatchObject({ status: 'rejected' });
    expect(await wallet(token)).toMatchObject({ diamonds: 11_000 });
    expect((await reject(b.body.payout.id)).body.payout).toMatchObject({ status: 'rejected' });
    expect(await wallet(token)).toMatchObject({ diamonds: 11_000 });
    expect((await approve(b.body.payout.id)).status).toBe(409);

    const plain = await payout(token, { diamonds: 2000 });
    expect(plain.body.payout.status).toBe('pending');
    expect((await approve(plain.body.payout.id)).body.error.code).toBe('CONFLICT');
    expect((await approve(randomUUID())).status).toBe(404);
    expect((await s.request('POST', `/v1/admin/payouts/${plain.body.payout.id}/approve`, { token })).status).toBe(401);

    const history = await s.request('GET', '/v1/wallet/transactions', { token });
    const statuses = history.body.items.filter((t: any) => t.type === 'payout').map((t: any) => t.status);
    expect(statuses).toEqual(['pending', 'rejected', 'pending']);
    const log = await s.request('GET', '/v1/admin/audit?limit=100', { token: admin() });
    const mine = log.body.items.filter((e: any) => [a.body.payout.id, b.body.payout.id].includes(e.target));
    expect(mine.map((e: any) => [e.action, e.details.replay])).toEqual([
      ['payout.reject', true],
      ['payout.reject', false],
      ['payout.approve', true],
      ['payout.approve', false],
    ]);
    expect((await reconcile(s.deps)).violations).toEqual([]);
  });
});

describe('the earnings hold: diamonds become withdrawable EARNINGS_HOLD_SEC after their gift settled', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ earningsHoldSec: 3600 });
  });
  afterAll(() => s.close());

  it('on-hold diamonds show in the balance but a payout cannot draw on them', async () => {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 3000);
    const w = (await s.request('GET', '/v1/wallet', { token })).body;
    expect(w).toMatchObject({ diamonds: 3000, withdrawableDiamonds: 0 });
    const res = await s.request('POST', '/v1/payouts', {
      token,
      body: { diamonds: 2000 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('INSUFFICIENT_FUNDS');
    // an hour later (the hold's release times moved back by an hour, as the clock would)
    const key = s.deps.keys.earningsHold(user.id);
    const members = await s.deps.redis.zrange(key, 0, -1, 'WITHSCORES');
    for (let i = 0; i < members.length; i += 2) {
      await s.deps.redis.zadd(key, Number(members[i + 1]) - 3_600_000, members[i]!);
    }
    expect((await s.request('GET', '/v1/wallet', { token })).body.withdrawableDiamonds).toBe(3000);
    const later = await s.request('POST', '/v1/payouts', {
      token,
      body: { diamonds: 2000 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(later.status).toBe(202);
  });
});
