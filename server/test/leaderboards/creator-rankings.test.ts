import { randomUUID } from 'node:crypto';
import type { CreatorRankItem } from '../../../shared/contracts/leaderboards';
import type { User } from '../../../shared/contracts/users';
import { countOnCreatorRankings } from '../../../shared/domain/creator-rankings';
import { heldGiftOf } from '../../../shared/domain/gift-room';
import { periodAt, periodTag } from '../../../shared/domain/leaderboard-periods';
import { settleGift, settleGifts } from '../../../shared/domain/settlement';
import { fundedViewer, sendGiftsWorth } from '../../../shared/testing/money';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send, type Person } from '../gifting/fixtures';

const PERIODS = ['hour', 'day', 'week', 'month', 'all'] as const;

/**
 * Creators ranked by the coins they received in a period (GET /v1/leaderboards/creators): a platform index, all
 * periods in one slot, written by the settlement (a job's gifts in one call) before the creator's credit, once per gift whatever runs it how many times;
 * a gift a chargeback voids is never there, and leaves the creator's own boards once.
 */
describe('creator rankings count each settled gift once per period', () => {
  // the rankings are platform-wide: each story gets its own server, so its own key prefix
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer({ earningsHoldSec: 3600 });
  });
  afterEach(() => s.close());

  type Answer = { items: CreatorRankItem[]; period: { name: string }; nextCursor: string | null };
  const rankings = async (q = ''): Promise<Answer> => {
    const res = await s.request('GET', `/v1/leaderboards/creators?${q}`);
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Answer;
  };
  const row = (rank: number, c: Person, coins: number) => ({
    rank,
    creatorId: c.user.id,
    displayName: c.user.displayName,
    coins,
  });

  async function creatorWithGifts(sender: User, coins: number) {
    const live = await liveStream(s);
    const ids = await sendGiftsWorth(s.deps, sender, live.streamId, coins);
    return { ...live, ids };
  }

  it('ranks creators by settled coins in every period, ties to whoever got there first, paged with cursor', async () => {
    const patron = await fundedViewer(s.deps, 100_000);
    const ava = await creatorWithGifts(patron, 50);
    const ben = await creatorWithGifts(patron, 80);
    const cal = await creatorWithGifts(patron, 50);
    // held gifts are not counted yet: the rankings follow the settlement
    expect((await rankings()).items).toEqual([]);
    await settleGifts(s.deps, ava.ids);
    await settleGifts(s.deps, cal.ids);
    await settleGifts(s.deps, ben.ids);
    const expected = [row(1, ben.creator, 80), row(2, ava.creator, 50), row(3, cal.creator, 50)];
    // the gifts' own `at` picks their periods (a run across an hour boundary still agrees)
    const now = Number(await s.deps.redis.hget(s.deps.keys.gift(ben.ids[0]!), 'at'));
    for (const name of PERIODS) {
      const p = periodAt(name, now);
      expect(await rankings(`period=${name}&at=${now}`)).toEqual({
        items: expected,
        period: { name, start: p.start, end: p.end },
        nextCursor: null,
      });
    }
    // two per page, then the last one
    const first = await rankings(`period=day&at=${now}&limit=2`);
    expect(first.items).toEqual(expected.slice(0, 2));
    const second = await rankings(`period=day&at=${now}&limit=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ items: expected.slice(2), nextCursor: null });
    // an earlier hour has none of it
    const lastHour = periodAt('hour', now).start! - 1;
    expect((await rankings(`period=hour&at=${lastHour}`)).items).toEqual([]);
  });

  it('one settlement job of interleaved gifts to three creators ranks them as settling the gifts one by one would', async () => {
    const patron = await fundedViewer(s.deps, 100_000);
    const [ava, ben, cal] = [await liveStream(s), await liveStream(s), await liveStream(s)];
    // ava 10, ben 10, ava 5, cal 15, ben 5: all three end on 15; ties go to whoever got there first (ava, cal, ben)
    const ids: string[] = [];
    for (const [live, coins] of [
      [ava, 10],
      [ben, 10],
      [ava, 5],
      [cal, 15],
      [ben, 5],
    ] as const) {
      ids.push(...(await sendGiftsWorth(s.deps, patron, live.streamId, coins)));
    }
    const results = await settleGifts(s.deps, ids);
    expect(results.map((r) => r.outcome)).toEqual(ids.map(() => 'settled'));
    const expected = [row(1, ava.creator, 15), row(2, cal.creator, 15), row(3, ben.creator, 15)];
    for (const name of PERIODS) expect((await rankings(`period=${name}`)).items).toEqual(expected);
    // the same job again (a redelivery) moves nothing
    expect((await settleGifts(s.deps, ids)).map((r) => r.outcome)).toEqual(ids.map(() => 'already-settled'));
    expect((await rankings('period=all')).items).toEqual(expected);
  });

  it('a settlement run twice, in parallel, or after a crash between the count and the settle, counts once', async () => {
    const patron = await fundedViewer(s.deps, 100_000);
    const { creator, ids } = await creatorWithGifts(patron, 321);
    // the same gifts settled by two workers at once, then again by the sweeper's finishing path
    await Promise.all([settleGifts(s.deps, ids), settleGifts(s.deps, ids)]);
    await settleGifts(s.deps, ids, { finish: true });
    // a worker that counted a gift on the rankings and died before settling it: the retry settles it, once
    const late = await creatorWithGifts(patron, 7);
    const gift = heldGiftOf(await s.deps.redis.hgetall(s.deps.keys.gift(late.ids[0]!)))!;
    await countOnCreatorRankings(s.deps, [gift]);
    expect(await s.deps.redis.hget(s.deps.keys.gift(gift.giftEventId), 'status')).toBe('held');
    expect(await settleGift(s.deps, gift.giftEventId)).toMatchObject({ outcome: 'settled' });
    expect(await settleGift(s.deps, gift.giftEventId)).toMatchObject({ outcome: 'already-settled' });
    await settleGifts(s.deps, late.ids);
    for (const name of PERIODS) {
      expect((await rankings(`period=${name}`)).items).toEqual([row(1, creator, 321), row(2, late.creator, 7)]);
    }
  });

  it('every dated rankings key expires after its retention; all time never', async () => {
    const patron = await fundedViewer(s.deps, 1_000);
    const { ids } = await creatorWithGifts(patron, 10);
    await settleGifts(s.deps, ids);
    const k = s.deps.keys;
    const at = Number(await s.deps.redis.hget(k.gift(ids[0]!), 'at'));
    for (const name of PERIODS) {
      const p = periodAt(name, at);
      const tag = periodTag(p);
      const board = k.lbCreators(tag);
      const want = p.expiresAt ?? -1;
      for (const key of [board, k.lbMembers(board), k.lbCreatorsSeq(tag)]) {
        expect([key, Number(await s.deps.redis.call('PEXPIRETIME', key))]).toEqual([key, want]);
      }
    }
    // the gift's marker there expires too
    expect(await s.deps.redis.pttl(k.lbCreatorsCounted(ids[0]!))).toBeGreaterThan(0);
  });

  it('a chargeback voids held gifts: off the rankings and the creator boards once, expiry kept', async () => {
    const { creator, streamId } = await liveStream(s);
    const buyer = await fan(s, 0);
    const other = await fan(s, 40);
    const buy = async (coins: number) =>
      (
        await s.request('POST', '/v1/wallet/recharges', {
          token: buyer.token,
          headers: { 'idempotency-key': randomUUID() },
          body: { coins, payment: { token: 'tok_ok' } },
        })
      ).body.recharge.id as string;
    const reversed = await buy(100);
    const ids: string[] = [];
    for (const count of [30, 20]) {
      const ack = await send(buyer.socket, streamId, 'rose', count);
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      ids.push(ack.gift.id);
    }
    expect((await send(other.socket, streamId, 'rose', 40)).ok).toBe(true);
    await settleGift(s.deps, ids[0]!); // the 30 is settled: it stays; the 20 is still held: it is voided
    // a settlement of the 20 got as far as the rankings and no further (a worker died before the credit)
    await countOnCreatorRankings(s.deps, [heldGiftOf(await s.deps.redis.hgetall(s.deps.keys.gift(ids[1]!)))!]);
    expect((await rankings('period=all')).items).toEqual([row(1, creator, 50)]);
    const board = (period: string) =>
      s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=${period}`).then((r) => r.body.items);
    for (const name of PERIODS) {
      expect((await board(name)).map((r: { coins: number }) => r.coins)).toEqual([50, 40]);
    }
    const admin = { token: s.deps.config.adminToken };
    for (let i = 0; i < 2; i++) {
      const res = await s.request('POST', `/v1/admin/recharges/${reversed}/chargeback`, admin);
      expect(res.body.chargeback).toMatchObject({ voidedGifts: 1 });
    }
    for (const name of PERIODS) {
      expect(await board(name)).toEqual([
        { rank: 1, userId: other.user.id, displayName: other.user.displayName, coins: 40 },
        { rank: 2, userId: buyer.user.id, displayName: buyer.user.displayName, coins: 30 },
      ]);
    }
    // the voided gift is not settled later, and is never counted on the rankings
    expect(await settleGift(s.deps, ids[1]!)).toMatchObject({ outcome: 'voided' });
    expect(await s.deps.redis.hget(s.deps.keys.gift(ids[1]!), 'status')).toBe('voided');
    const otherGifts = await s.request('GET', '/v1/wallet/transactions', { token: other.token });
    const otherGift = otherGifts.body.items.find((t: { type: string }) => t.type === 'gift_sent').ref as string;
    await settleGift(s.deps, otherGift);
    for (const name of PERIODS) expect((await rankings(`period=${name}`)).items).toEqual([row(1, creator, 70)]);
    // the creator's period boards kept their expiry through the take-back
    const at = Number(await s.deps.redis.hget(s.deps.keys.gift(ids[1]!), 'at'));
    const day = periodAt('day', at);
    const key = s.deps.keys.lbCreatorDay(creator.user.id, day.n);
    expect(Number(await s.deps.redis.call('PEXPIRETIME', key))).toBe(day.expiresAt);
  });
});
