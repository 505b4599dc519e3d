import { randomUUID } from 'node:crypto';
import { reconcile } from '../../../shared/domain/reconcile';
import { settleGift } from '../../../shared/domain/settlement';
import { walletRecord } from '../../../shared/domain/wallet';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';
import { activeBattle } from '../battles/fixtures';

/**
 * A buyer spends a reversed payment in every way there is, and the operator records the chargeback: the coins
 * still available go first, then the gifts still held are voided newest first (out of the stream's totals and
 * boards), then the diamonds still on hold that the settled gifts earned are clawed back newest first, and what is
 * left is a platform loss. Killed at any step, the same call run again finishes it exactly once.
 */
describe('a chargeback takes back what it can, in the contract order, exactly once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ earningsHoldSec: 3600 });
  });
  afterAll(async () => {
    await killAllEntries();
    await s.close();
  });

  const admin = () => s.deps.config.adminToken;
  const money = async (userId: string) => walletRecord(await s.deps.redis.hgetall(s.deps.keys.wallet(userId)));
  const buy = async (token: string, coins: number) => {
    const r = await s.request('POST', '/v1/wallet/recharges', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins, payment: { token: 'tok_ok' } },
    });
    return r.body.recharge.id as string;
  };
  const chargeback = (rechargeId: string, base = s.url) =>
    fetch(`${base}/v1/admin/recharges/${rechargeId}/chargeback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin()}` },
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  /**
   * Recharges of 100 (the one charged back) and 50; gifts of 60 and 50 coins settled (30 and 25 diamonds on hold,
   * the 60's hold already released), then 20 and 10 held; 10 coins left.
   */
  async function spendEverything() {
    const { creator, streamId } = await liveStream(s);
    const buyer = await fan(s, 0);
    const reversed = await buy(buyer.token, 100);
    await buy(buyer.token, 50);
    const ids: string[] = [];
    for (const count of [60, 50, 20, 10]) {
      const ack = await send(buyer.socket, streamId, 'rose', count);
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      ids.push(ack.gift.id);
    }
    await settleGift(s.deps, ids[0]!);
    await settleGift(s.deps, ids[1]!);
    const hold = s.deps.keys.earningsHold(creator.user.id);
    await s.deps.redis.zadd(hold, Date.now() - 1000, `${ids[0]}:30`);
    return { creator, streamId, buyer, reversed, ids };
  }

  const expected = { coins: 100, recoveredCoins: 90, voidedGifts: 2, clawedBackDiamonds: 25, unrecoveredCoins: 10 };

  async function expectBooksAfter(w: Awaited<ReturnType<typeof spendEverything>>) {
    expect(await money(w.buyer.user.id)).toMatchObject({
      purchased: 150,
      coins: 0,
      held: 0,
      spent: 110,
      chargedBack: 40,
    });
    expect(await money(w.creator.user.id)).toMatchObject({
      received: 110,
      diamondsEarned: 55,
      diamonds: 30,
      diamondsClawedBack: 25,
    });
    const stream = await s.request('GET', `/v1/streams/${w.streamId}`);
    expect(stream.body.totalCoins).toBe(110);
    const board = await s.request('GET', `/v1/streams/${w.streamId}/leaderboard`);
    expect(board.body.items).toEqual([expect.objectContaining({ userId: w.buyer.user.id, coins: 110 })]);
    const creatorBoard = await s.request('GET', `/v1/creators/${w.creator.user.id}/leaderboard?period=all`);
    expect(creatorBoard.body.items).toEqual([expect.objectContaining({ userId: w.buyer.user.id, coins: 110 })]);
    const statuses = await Promise.all(w.ids.map((id) => s.deps.redis.hget(s.deps.keys.gift(id), 'status')));
    expect(statuses).toEqual(['settled', 'settled', 'voided', 'voided']);
    const report = await reconcile(s.deps);
    expect(report.violations).toEqual([]);
  }

  it('takes coins, then voids held gifts newest first, then claws back on-hold diamonds, then books the loss', async () => {
    const w = await spendEverything();
    const res = await chargeback(w.reversed);
    expect(res.status).toBe(200);
    expect(res.body.chargeback).toEqual({ rechargeId: w.reversed, userId: w.buyer.user.id, ...expected });
    expect(res.body.chargeback.recoveredCoins + res.body.chargeback.unrecoveredCoins).toBe(100);
    await expectBooksAfter(w);

    // the buyer is suspended, and their history shows the chargeback
    const user = await s.request('GET', '/v1/wallet/transactions', { token: w.buyer.token });
    expect(user.body.items[0]).toMatchObject({ type: 'chargeback', coins: -100, ref: w.reversed, status: 'settled' });
    expect((await send(w.buyer.socket, w.streamId, 'rose')).ok).toBe(false);

    // idempotent: the same answer, nothing moves
    const again = await chargeback(w.reversed);
    expect(again.body).toEqual(res.body);
    await expectBooksAfter(w);

    const report = await s.request('GET', '/v1/admin/chargebacks', { token: admin() });
    expect(report.body.items[0]).toMatchObject({ rechargeId: w.reversed, unrecoveredCoins: 10, state: 'done' });
    expect(report.body.totals.unrecoveredCoins).toBeGreaterThanOrEqual(10);
    const audit = await s.request('GET', '/v1/admin/audit', { token: admin() });
    const logged = audit.body.items.filter((e: any) => e.target === w.reversed);
    expect(logged.map((e: any) => [e.action, e.details.replay])).toEqual([
      ['recharge.chargeback', true],
      ['recharge.chargeback', false],
    ]);
  });

  it('a chargeback covered by available coins moves only those; unknown recharges are NOT_FOUND', async () => {
    const buyer = await fan(s, 0);
    const id = await buy(buyer.token, 70);
    await buy(buyer.token, 30);
    const res = await chargeback(id);
    expect(res.body.chargeback).toMatchObject({ coins: 70, recoveredCoins: 70, voidedGifts: 0, unrecoveredCoins: 0 });
    expect(await money(buyer.user.id)).toMatchObject({ coins: 30, chargedBack: 70, purchased: 100 });
    expect((await chargeback(randomUUID())).status).toBe(404);
    const asUser = await s.request('POST', `/v1/admin/recharges/${id}/chargeback`, { token: buyer.token });
    expect(asUser.status).toBe(401);
  });

  it("a voided gift leaves the active battle's score and MVP board it counted in, once", async () => {
    const { a, battle } = await activeBattle(s);
    const buyer = await fan(s, 0);
    const reversed = await buy(buyer.token, 100);
    const backer = await fan(s, 30);
    for (const [who, count] of [
      [buyer, 80],
      [backer, 30],
    ] as const) {
      const ack = await send(who.socket, a.streamId, 'rose', count);
      if (!ack.ok) throw new Error(JSON.stringify(ack));
    }
    const before = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    expect(before.sides[0]).toMatchObject({ score: 110, mvp: expect.objectContaining({ userId: buyer.user.id }) });

    const res = await chargeback(reversed);
    expect(res.body.chargeback).toMatchObject({ recoveredCoins: 100, voidedGifts: 1, unrecoveredCoins: 0 });
    const after = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle;
    expect(after.sides[0]).toMatchObject({ score: 30, mvp: expect.objectContaining({ userId: backer.user.id }) });
    await chargeback(reversed);
    expect((await s.request('GET', `/v1/battles/${battle.id}`)).body.battle.sides[0].score).toBe(30);
    expect((await s.request('GET', `/v1/streams/${a.streamId}`)).body.totalCoins).toBe(30);
  });

  it.each(['open', 'fence', 'void', 'unapply', 'clawback', 'claw-record'])(
    'a server SIGKILLed right after the %s step leaves work that the repeated call finishes exactly once',
    async (step) => {
      const w = await spendEverything();
      const doomed = await startServerProcess({
        KEY_PREFIX: s.deps.keys.prefix,
        REDIS_URL: s.deps.config.redisUrl!,
        MONEY_CRASH_AT: step,
      });
      const answer = await chargeback(w.reversed, doomed.url).then(
        () => 'answered',
        () => 'no answer',
      );
      expect(answer).toBe('no answer');
      expect(await doomed.exited).toBe('SIGKILL');
      // nothing negative and the buyer's books balanced even half-way
      expect((await reconcile(s.deps)).violations).toEqual([]);
      if (step === 'fence') {
        // the newest held gift is fenced: settlement (a worker, the sweeper) may no longer credit it
        expect(await settleGift(s.deps, w.ids[3]!)).toMatchObject({ outcome: 'voided', diamonds: 0 });
        expect(await money(w.creator.user.id)).toMatchObject({ received: 110 });
      }

      const res = await chargeback(w.reversed);
      expect(res.status).toBe(200);
      expect(res.body.chargeback).toEqual({ rechargeId: w.reversed, userId: w.buyer.user.id, ...expected });
      await expectBooksAfter(w);
      expect((await chargeback(w.reversed)).body).toEqual(res.body);
    },
  );
});
