import { randomUUID } from 'node:crypto';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWorkers, type RunningWorkers } from '../../../workers/start';
import { fan, liveStream, send } from '../gifting/fixtures';

/** The whole money path over the public API: coins bought, gifts sent over Socket.io, settled, cashed out. */
describe('from a gift to a payout', () => {
  let s: TestServer;
  let workers: RunningWorkers;
  beforeAll(async () => {
    // the sweeper would only act after a minute: what settles here came through the server's outbox relay
    s = await startTestServer({ settleStaleMs: 60_000, payoutMinDiamonds: 50 });
    workers = await startWorkers(s.deps);
  });
  afterAll(async () => {
    await workers.close();
    await s.close();
  });

  it('gifts sent over Socket.io are settled by the workers, and the creator cashes the diamonds out', async () => {
    const { creator, streamId } = await liveStream(s);
    const viewer = await fan(s, 1000);
    let sent = 0;
    for (const [giftId, count] of [
      ['rose', 3],
      ['perfume', 2],
      ['doughnut', 5],
      ['rose', 1],
    ] as const) {
      const ack = await send(viewer.socket, streamId, giftId, count);
      expect(ack.ok).toBe(true);
      if (ack.ok) sent += ack.gift.totalCoins;
    }
    expect(sent).toBe(3 + 40 + 150 + 1);

    const wallet = (token: string) => s.request('GET', '/v1/wallet', { token }).then((r) => r.body);
    await waitFor(
      () => wallet(viewer.token),
      (w) => w.heldCoins === 0,
    );
    expect(await wallet(viewer.token)).toMatchObject({ coins: 1000 - sent, heldCoins: 0 });
    expect(await wallet(creator.token)).toMatchObject({ diamonds: Math.floor(sent / 2) });

    const viewerHistory = (await s.request('GET', '/v1/wallet/transactions', { token: viewer.token })).body.items;
    expect(
      viewerHistory.filter((t: { type: string }) => t.type === 'gift_sent').map((t: { status: string }) => t.status),
    ).toEqual(['settled', 'settled', 'settled', 'settled']);
    const creatorHistory = (await s.request('GET', '/v1/wallet/transactions', { token: creator.token })).body.items;
    const received = creatorHistory.filter((t: { type: string }) => t.type === 'gift_received');
    expect(received).toHaveLength(4);
    expect(received.reduce((sum: number, t: { coins: number }) => sum + t.coins, 0)).toBe(sent);
    expect(received.reduce((sum: number, t: { diamonds: number }) => sum + t.diamonds, 0)).toBe(Math.floor(sent / 2));

    const payout = await s.request('POST', '/v1/payouts', {
      token: creator.token,
      body: { diamonds: 97 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(payout.status).toBe(202);
    expect(payout.body.payout).toMatchObject({ diamonds: 97, amountCents: 48, status: 'pending' });
    await waitFor(
      () => s.request('GET', '/v1/payouts', { token: creator.token }),
      (r) => r.body.items[0]?.status === 'paid',
    );
    expect(await wallet(creator.token)).toMatchObject({ diamonds: 0 });
  });
});
