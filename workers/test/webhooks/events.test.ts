import { randomUUID } from 'node:crypto';
import { waitFor } from '../../../shared/testing/harness';
import { earnDiamonds } from '../../../shared/testing/money';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server';
import { fan, send } from '../../../server/test/gifting/fixtures';
import { activeBattle } from '../../../server/test/battles/fixtures';
import { startWorkers, type RunningWorkers } from '../../start';
import { startReceiver, type Receiver } from './receiver';

/**
 * An operator subscribes a receiver to every event, and the platform lives a day: a fan buys coins, two creators
 * go live and fight a gift war, the fan's gift reaches a goal and settles, one creator walks out of the war, a third creator cashes
 * out twice (once to a destination that fails), and the fan's payment is reversed. The receiver hears about each
 * of these, signed as the contract says, with the data the contract gives.
 */
describe('every event type reaches a subscribed receiver, signed, with the contract data', () => {
  let s: TestServer;
  let workers: RunningWorkers;
  let receiver: Receiver;
  beforeAll(async () => {
    s = await startTestServer({ webhookRelayEveryMs: 50, webhookRetryBaseMs: 100, webhookAttempts: 3 });
    workers = await startWorkers(s.deps);
    receiver = await startReceiver([200]);
  });
  afterAll(async () => {
    await workers.close();
    await s.close();
    await receiver.close();
  });

  const admin = () => s.deps.config.adminToken;
  const ofType = (type: string) => receiver.got.filter((r) => r.body.type === type).map((r) => r.body);

  it('a day of gifting, battles, payouts and a chargeback, as webhooks', async () => {
    const created = await s.request('POST', '/v1/admin/webhooks', {
      token: admin(),
      body: { url: receiver.url, events: ['*'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.webhook).toMatchObject({ url: receiver.url, events: ['*'] });
    expect(created.body.webhook.secret).toEqual(expect.any(String));
    receiver.setSecret(created.body.webhook.secret);

    const buyer = await fan(s, 0);
    const bought = await s.request('POST', '/v1/wallet/recharges', {
      token: buyer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 500, payment: { token: 'tok_ok' } },
    });
    expect(bought.status).toBe(201);
    const { a, b, battle } = await activeBattle(s, 60);
    const goal = await s.request('POST', `/v1/streams/${a.streamId}/goals`, {
      token: a.token,
      body: { title: 'ten roses', targetCoins: 10 },
    });
    expect(goal.status).toBe(201);
    const ack = await send(buyer.socket, a.streamId, 'rose', 10);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    await waitFor(
      () => ofType('gift.settled'),
      (x) => x.length === 1,
    );
    const walkout = await s.request('POST', `/v1/streams/${b.streamId}/end`, { token: b.token });
    expect(walkout.status).toBe(200);

    const earner = await s.createUser();
    await earnDiamonds(s.deps, earner.user, 4000);
    const registered = await s.request('POST', '/v1/payout-destinations', {
      token: earner.token,
      body: { destination: 'acct_fail' },
    });
    expect(registered.status).toBe(201);
    const payout = async (destination: string) =>
      s.request('POST', '/v1/payouts', {
        token: earner.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { diamonds: 2000, destination },
      });
    expect((await payout('acct_fail')).status).toBe(202);
    await waitFor(
      () => ofType('payout.failed'),
      (x) => x.length === 1,
    );
    const okDestination = await s.request('POST', '/v1/payout-destinations', {
      token: earner.token,
      body: { destination: 'acct_ok' },
    });
    expect(okDestination.status).toBe(201);
    const paid = await payout('acct_ok');
    expect(paid.status).toBe(202);

    const reversed = await s.request('POST', `/v1/admin/recharges/${bought.body.recharge.id}/chargeback`, {
      token: admin(),
    });
    expect(reversed.status).toBe(200);

    const expected = [
      'recharge.succeeded',
      'stream.started',
      'gift.settled',
      'stream.ended',
      'battle.ended',
      'payout.paid',
      'payout.failed',
      'chargeback.applied',
      'goal.reached',
    ];
    await waitFor(
      () => new Set(receiver.got.map((r) => r.body.type)),
      (types) => expected.every((t) => types.has(t)) && ofType('payout.paid').length === 1,
      20_000,
    );

    // every request: signed with the webhook's secret, JSON, its id in the header, one id per event
    for (const r of receiver.got) {
      expect(r.verified).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['giftwire-event-id']).toBe(r.body.id);
      expect(r.body.createdAt).toEqual(expect.any(Number));
    }
    expect(new Set(receiver.got.map((r) => r.body.id)).size).toBe(receiver.got.length);

    expect(ofType('recharge.succeeded')).toContainEqual(
      expect.objectContaining({
        data: {
          recharge: {
            id: bought.body.recharge.id,
            coins: 500,
            priceCents: expect.any(Number),
            currency: 'USD',
            status: 'succeeded',
          },
          userId: buyer.user.id,
        },
      }),
    );
    const settled = ofType('gift.settled')[0]!;
    expect(settled.data).toEqual({ gift: ack.gift, creatorId: a.user.id, diamonds: 5 });
    expect(ofType('stream.started').map((e) => e.data.stream)).toContainEqual({
      id: a.streamId,
      creatorId: a.user.id,
      title: expect.any(String),
      status: 'live',
      startedAt: expect.any(Number),
    });
    expect(ofType('stream.ended').map((e) => e.data.stream)).toContainEqual(
      expect.objectContaining({ id: b.streamId, status: 'ended', endedAt: expect.any(Number) }),
    );
    const ended = ofType('battle.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data.battle).toMatchObject({
      id: battle.id,
      status: 'ended',
      winnerStreamId: a.streamId,
      sides: [
        { streamId: a.streamId, score: 10, mvp: { userId: buyer.user.id, coins: 10 } },
        { streamId: b.streamId, score: 0, mvp: null },
      ],
    });
    expect(ofType('payout.failed')[0]!.data).toMatchObject({
      payout: { diamonds: 2000, status: 'failed' },
      userId: earner.user.id,
    });
    expect(ofType('payout.paid')[0]!.data).toMatchObject({
      payout: { id: paid.body.payout.id, diamonds: 2000, status: 'paid' },
      userId: earner.user.id,
    });
    expect(ofType('chargeback.applied')[0]!.data).toEqual({ chargeback: reversed.body.chargeback });

    expect(ofType('goal.reached').map((e) => e.data)).toEqual([
      {
        goal: {
          ...goal.body.goal,
          progressCoins: 10,
          status: 'reached',
          reachedAt: ack.gift.at,
        },
      },
    ]);

    // the relay stops reading the outboxes of what has ended, and keeps reading those of what still may report
    const listed = () => s.deps.redis.zrange(s.deps.keys.webhookOwners, 0, -1);
    await waitFor(listed, (owners) => !owners.includes(`s:${b.streamId}`) && !owners.includes(`b:${battle.id}`));
    expect(await listed()).toContain(`s:${a.streamId}`);
  });
});
