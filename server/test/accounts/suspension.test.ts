import { randomUUID } from 'node:crypto';
import { emitAck, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';

const suspend = (s: TestServer, id: string, reason = 'chargeback fraud') =>
  s.request('POST', `/v1/admin/users/${id}/suspend`, { token: s.deps.config.adminToken, body: { reason } });

describe('an operator suspends an account: no money moves and no stream runs, reading and watching still work', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('a suspended viewer is told, cannot recharge or gift, and can still read and watch; unsuspended, they gift again', async () => {
    const { streamId } = await liveStream(s);
    const viewer = await fan(s, 50);
    const told = new Promise<{ reason: string }>((resolve) => viewer.socket.once('account:suspended', resolve));
    const res = await suspend(s, viewer.user.id);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: viewer.user.id, suspended: true });
    expect((await told).reason).toBe('chargeback fraud');

    const gift = await send(viewer.socket, streamId, 'rose');
    expect(gift).toMatchObject({ ok: false, error: { code: 'ACCOUNT_SUSPENDED' } });
    const buy = await s.request('POST', '/v1/wallet/recharges', {
      token: viewer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 10, payment: { token: 'tok_ok' } },
    });
    expect(buy.status).toBe(403);
    expect(buy.body.error.code).toBe('ACCOUNT_SUSPENDED');

    const wallet = await s.request('GET', '/v1/wallet', { token: viewer.token });
    expect(wallet.status).toBe(200);
    expect(wallet.body.coins).toBe(50);
    expect((await emitAck(viewer.socket, 'stream:join', { streamId })).ok).toBe(true);
    expect(viewer.socket.connected).toBe(true);

    const back = await s.request('POST', `/v1/admin/users/${viewer.user.id}/unsuspend`, {
      token: s.deps.config.adminToken,
    });
    expect(back.body.user.suspended).toBe(false);
    expect(await send(viewer.socket, streamId, 'rose')).toMatchObject({ ok: true, wallet: { coins: 49 } });
  });

  it("a suspended creator's live stream ends at once (watchers hear it) and they cannot go live, battle or cash out", async () => {
    const { creator, streamId } = await liveStream(s);
    const { streamId: otherStream } = await liveStream(s);
    const watcher = await fan(s, 0);
    await emitAck(watcher.socket, 'stream:join', { streamId });
    const ended = new Promise<{ streamId: string }>((resolve) => watcher.socket.once('stream:ended', resolve));

    expect((await suspend(s, creator.user.id)).status).toBe(200);
    expect((await ended).streamId).toBe(streamId);
    const stream = await s.request('GET', `/v1/streams/${streamId}`);
    expect(stream.body.stream.status).toBe('ended');

    const expectSuspended = (r: { status: number; body: any }) => {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('ACCOUNT_SUSPENDED');
    };
    expectSuspended(await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'again' } }));
    expectSuspended(
      await s.request('POST', '/v1/payouts', {
        token: creator.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { diamonds: 2000 },
      }),
    );
    // the suspension ranks before the stream's state: ACCOUNT_SUSPENDED, not STREAM_NOT_LIVE
    expectSuspended(
      await s.request('POST', '/v1/battles', {
        token: creator.token,
        body: { streamId, opponentStreamId: otherStream, durationSec: 30 },
      }),
    );
    // reading still works
    expect((await s.request('GET', '/v1/payouts', { token: creator.token })).status).toBe(200);
  });

  it('a suspension needs a reason of 1..200 characters, the operator token and a known user', async () => {
    const { user, token } = await s.createUser();
    const admin = s.deps.config.adminToken;
    for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(201) }, { reason: 'ok', extra: 1 }]) {
      const r = await s.request('POST', `/v1/admin/users/${user.id}/suspend`, { token: admin, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (await s.request('POST', `/v1/admin/users/${user.id}/suspend`, { token, body: { reason: 'x' } })).status,
    ).toBe(401);
    expect((await suspend(s, randomUUID())).status).toBe(404);
    const me = await s.request('GET', '/v1/wallet', { token });
    expect(me.status).toBe(200);
  });

  it('every operator action is in the audit log, newest first, with who, when and what', async () => {
    const { user } = await s.createUser();
    const admin = s.deps.config.adminToken;
    await suspend(s, user.id, 'audit me');
    await s.request('POST', `/v1/admin/users/${user.id}/unsuspend`, { token: admin });
    await s.request('POST', `/v1/admin/users/${user.id}/revoke-tokens`, { token: admin });
    await s.request('PATCH', `/v1/admin/users/${user.id}`, { token: admin, body: { dailySpendLimitCoins: 100 } });
    const log = await waitFor(
      () => s.request('GET', '/v1/admin/audit?limit=4', { token: admin }),
      (r) => r.body.items?.length === 4,
    );
    expect(log.body.items.map((e: any) => [e.action, e.target, e.actor])).toEqual([
      ['user.patch', user.id, 'operator'],
      ['user.revoke-tokens', user.id, 'operator'],
      ['user.unsuspend', user.id, 'operator'],
      ['user.suspend', user.id, 'operator'],
    ]);
    expect(log.body.items[0].details).toEqual({ dailySpendLimitCoins: 100 });
    expect(log.body.items[3].details.reason).toBe('audit me');
    expect(Math.abs(log.body.items[0].at - Date.now())).toBeLessThan(60_000);
    const next = await s.request('GET', `/v1/admin/audit?limit=4&cursor=${log.body.items[3].id}`, { token: admin });
    expect(next.status).toBe(200);
    expect(next.body.items.every((e: any) => e.id < log.body.items[3].id)).toBe(true);
    expect((await s.request('GET', '/v1/admin/audit', { token: (await s.createUser()).token })).status).toBe(401);
  });
});
