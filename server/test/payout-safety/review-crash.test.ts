import { randomUUID } from 'node:crypto';
import { reconcile } from '../../../shared/domain/reconcile';
import { waitFor } from '../../../shared/testing/harness';
import { earnDiamonds } from '../../../shared/testing/money';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startWorkers, type RunningWorkers } from '../../../workers/start';
import { startTestServer, type TestServer } from '../support/test-server';

/** An operator's decision on a payout in review, by a server process killed right after the decision's script. */
describe('a payout review survives a SIGKILL between its script and the hand-over to the payout worker', () => {
  let s: TestServer;
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    s = await startTestServer({ payoutReviewDiamonds: 2000 });
  });
  afterAll(async () => {
    await killAllEntries();
    await workers?.close();
    await s.close();
  });

  const admin = () => s.deps.config.adminToken;
  const decide = (base: string, id: string, action: string) =>
    fetch(`${base}/v1/admin/payouts/${id}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin()}` },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const diamonds = async (userId: string) => Number(await s.deps.redis.hget(s.deps.keys.wallet(userId), 'diamonds'));

  async function payoutInReview() {
    const { user, token } = await s.createUser();
    await earnDiamonds(s.deps, user, 3000);
    const res = await s.request('POST', '/v1/payouts', {
      token,
      body: { diamonds: 3000 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.body.payout.status).toBe('review');
    return { user, token, id: res.body.payout.id as string };
  }

  async function killedAfter(id: string, action: string) {
    const doomed = await startServerProcess({
      KEY_PREFIX: s.deps.keys.prefix,
      REDIS_URL: s.deps.config.redisUrl!,
      MONEY_CRASH_AT: 'review',
    });
    const answer = await decide(doomed.url, id, action).then(
      () => 'answered',
      () => 'no answer',
    );
    expect(answer).toBe('no answer');
    expect(await doomed.exited).toBe('SIGKILL');
  }

  it('an approval whose process died before the hand-over: the repeated approval hands it over, paid once', async () => {
    const { user, token, id } = await payoutInReview();
    await killedAfter(id, 'approve');
    expect(await s.deps.redis.hget(s.deps.keys.payout(id), 'status')).toBe('pending');
    expect((await reconcile(s.deps)).violations).toEqual([]);

    const again = await decide(s.url, id, 'approve');
    expect(again.status).toBe(200);
    workers = await startWorkers(s.deps);
    const listed = await waitFor(
      () => s.request('GET', '/v1/payouts', { token }),
      (r) => r.body.items?.[0]?.status === 'paid',
    );
    expect(listed.body.items).toHaveLength(1);
    expect(await diamonds(user.id)).toBe(0);
    expect((await decide(s.url, id, 'reject')).status).toBe(409);
    expect((await reconcile(s.deps)).violations).toEqual([]);
  });

  it('a rejection whose process died before answering: the diamonds came back once, the repeat replays', async () => {
    const { user, id } = await payoutInReview();
    await killedAfter(id, 'reject');
    expect(await diamonds(user.id)).toBe(3000);
    const again = await decide(s.url, id, 'reject');
    expect(again.body.payout).toMatchObject({ id, status: 'rejected' });
    expect(await diamonds(user.id)).toBe(3000);
    expect((await reconcile(s.deps)).violations).toEqual([]);
  });
});
