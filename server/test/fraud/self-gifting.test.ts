import { randomUUID } from 'node:crypto';
import { settleGift } from '../../../shared/domain/settlement';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';

/**
 * Self-gifting through a second account: the second account pays with the creator's own card (the sandbox reads a
 * payment fingerprint from `tok_ok_<fingerprint>`), tops the creator's leaderboard, and the creator cashes out.
 * The link is flagged, the gift is flagged, and the creator's payouts wait for an operator.
 */
describe('accounts linked by a card or a payout destination leave a trace and stop a payout', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const admin = () => s.deps.config.adminToken;
  const buy = (token: string, coins: number, card: string) =>
    s.request('POST', '/v1/wallet/recharges', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins, payment: { token: card } },
    });
  const payout = (token: string, diamonds: number) =>
    s.request('POST', '/v1/payouts', { token, body: { diamonds }, headers: { 'idempotency-key': randomUUID() } });
  const flags = async () => (await s.request('GET', '/v1/admin/flags?limit=100', { token: admin() })).body.items;

  it("a gift from an account that paid with the creator's card is flagged and the creator's payouts go to review", async () => {
    const card = `card${randomUUID().slice(0, 8)}`;
    const { creator, streamId } = await liveStream(s);
    expect((await buy(creator.token, 10, `tok_ok_${card}`)).status).toBe(201);
    const second = await fan(s, 0);
    expect((await buy(second.token, 10_000, `tok_ok_${card}`)).status).toBe(201);
    const honest = await fan(s, 0);
    expect((await buy(honest.token, 100, 'tok_ok_someoneelse')).status).toBe(201);

    expect(await flags()).toContainEqual(
      expect.objectContaining({
        kind: 'linked-accounts',
        userId: second.user.id,
        linkedUserId: creator.user.id,
        via: `payment:${card}`,
      }),
    );

    const honestGift = await send(honest.socket, streamId, 'rose', 10);
    const selfGift = await send(second.socket, streamId, 'rose', 99);
    const more = await send(second.socket, streamId, 'luxury-car', 3);
    for (const a of [honestGift, selfGift, more]) if (!a.ok) throw new Error(JSON.stringify(a));
    for (const a of [honestGift, selfGift, more]) await settleGift(s.deps, (a as any).gift.id);
    await settleGift(s.deps, (selfGift as any).gift.id); // settled again: flagged once

    const giftFlags = (await flags()).filter((f: any) => f.kind === 'linked-gift');
    expect(giftFlags.map((f: any) => f.giftEventId).sort()).toEqual(
      [(selfGift as any).gift.id, (more as any).gift.id].sort(),
    );
    expect(giftFlags[0]).toMatchObject({
      userId: creator.user.id,
      linkedUserId: second.user.id,
      via: `payment:${card}`,
    });

    const first = await payout(creator.token, 2000);
    expect(first.status).toBe(202);
    expect(first.body.payout.status).toBe('review');
    const approved = await s.request('POST', `/v1/admin/payouts/${first.body.payout.id}/approve`, { token: admin() });
    expect(approved.body.payout.status).toBe('pending');
    // the operator decided: the review-everything ends until the next flagged gift
    expect((await payout(creator.token, 2000)).body.payout.status).toBe('pending');
  });

  it('two accounts registering one payout destination are linked; an unlinked creator pays out normally', async () => {
    const dest = `acct_shared_${randomUUID().slice(0, 8)}`;
    const a = await s.createUser();
    const b = await s.createUser();
    expect(
      (await s.request('POST', '/v1/payout-destinations', { token: a.token, body: { destination: dest } })).status,
    ).toBe(201);
    expect(
      (await s.request('POST', '/v1/payout-destinations', { token: b.token, body: { destination: dest } })).status,
    ).toBe(201);
    expect(await flags()).toContainEqual(
      expect.objectContaining({
        kind: 'linked-accounts',
        userId: b.user.id,
        linkedUserId: a.user.id,
        via: `destination:${dest}`,
      }),
    );
    const { creator, streamId } = await liveStream(s);
    const viewer = await fan(s, 5000);
    const ack = await send(viewer.socket, streamId, 'rose', 99);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    await settleGift(s.deps, ack.gift.id);
    expect((await flags()).some((f: any) => f.giftEventId === ack.gift.id)).toBe(false);
    expect((await s.request('GET', '/v1/admin/flags', { token: creator.token })).status).toBe(401);
  });
});
