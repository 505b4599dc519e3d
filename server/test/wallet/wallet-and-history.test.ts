import { randomUUID } from 'node:crypto';
import { acceptGift } from '../../../shared/domain/gifts';
import { settleGift } from '../../../shared/domain/settlement';
import { mintId, userShard } from '../../../shared/redis/keys';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream, walletOf } from './fixtures';
import { fundViewer } from '../../../shared/testing/money';

describe('a user reads their wallet and history, and may tighten their own limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const limits = (token: string | undefined, body: unknown) => s.request('PATCH', '/v1/wallet/limits', { token, body });

  it("a new user's wallet is empty with no limit", async () => {
    const { token } = await s.createUser();
    const res = await s.request('GET', '/v1/wallet', { token });
    expect(res.status).toBe(200);
    // v1.1 adds withdrawableDiamonds (earnings hold)
    expect(res.body).toEqual({
      coins: 0,
      heldCoins: 0,
      diamonds: 0,
      spentTodayCoins: 0,
      dailySpendLimitCoins: null,
      withdrawableDiamonds: 0,
    });
  });

  it('a user may set and lower their limit, never raise or remove it; the operator may', async () => {
    const { token, user } = await s.createUser();
    const set = await limits(token, { dailySpendLimitCoins: 500 });
    expect(set.status).toBe(200);
    expect(set.body.wallet).toMatchObject({ dailySpendLimitCoins: 500 });
    expect((await limits(token, { dailySpendLimitCoins: 200 })).body.wallet.dailySpendLimitCoins).toBe(200);
    expect((await limits(token, { dailySpendLimitCoins: 200 })).status).toBe(200);
    for (const body of [{ dailySpendLimitCoins: 201 }, { dailySpendLimitCoins: null }]) {
      const res = await limits(token, body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await walletOf(s.deps, user.id)).limit).toBe(200);
    const admin = s.deps.config.adminToken;
    expect(
      (await s.request('PATCH', `/v1/admin/users/${user.id}`, { token: admin, body: { dailySpendLimitCoins: null } }))
        .status,
    ).toBe(200);
    expect((await s.request('GET', '/v1/wallet', { token })).body.dailySpendLimitCoins).toBeNull();
    expect((await limits(token, { dailySpendLimitCoins: null })).status).toBe(200);
    expect((await limits(token, { dailySpendLimitCoins: 0 })).body.wallet.dailySpendLimitCoins).toBe(0);
  });

  it.each([
    [{}],
    [{ dailySpendLimitCoins: -1 }],
    [{ dailySpendLimitCoins: 1.5 }],
    [{ dailySpendLimitCoins: '10' }],
    [{ dailySpendLimitCoins: 1e13 }],
    [{ dailySpendLimitCoins: 5, extra: 1 }],
  ])('a limit body %j is VALIDATION_FAILED (before identity)', async (body) => {
    const { token, user } = await s.createUser();
    for (const t of [token, undefined]) {
      const res = await limits(t, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await s.deps.redis.hgetall(s.deps.keys.wallet(user.id))).toEqual({});
  });

  it('the history lists recharges, gifts sent (pending, then settled) and received, newest first', async () => {
    const fan = await s.createUser();
    const { creator, streamId } = await liveStream(s.deps);
    await fundViewer(s.deps, fan.user, 100);
    const sent = await acceptGift(s.deps, {
      sender: fan.user,
      streamId,
      giftId: 'finger-heart',
      count: 3,
      idempotencyKey: randomUUID(),
    });
    const history = async (token: string) => (await s.request('GET', '/v1/wallet/transactions', { token })).body;

    const before = await history(fan.token);
    expect(before.nextCursor).toBeNull();
    expect(before.items).toEqual([
      {
        id: `gift_sent:${sent.gift.id}`,
        type: 'gift_sent',
        coins: -15,
        status: 'pending',
        at: sent.gift.at,
        ref: sent.gift.id,
      },
      {
        id: expect.stringMatching(/^recharge:/),
        type: 'recharge',
        coins: 100,
        status: 'settled',
        at: expect.any(Number),
        ref: expect.any(String),
      },
    ]);

    await settleGift(s.deps, sent.gift.id);
    const settledAt = Number(await s.deps.redis.hget(s.deps.keys.credit(creator.id, sent.gift.id), 'settledAt'));
    expect(settledAt).toBeGreaterThanOrEqual(sent.gift.at);
    expect((await history(fan.token)).items[0]).toMatchObject({ type: 'gift_sent', status: 'settled', coins: -15 });
    const creatorToken = (
      await s.request('POST', `/v1/admin/users/${creator.id}/token`, { token: s.deps.config.adminToken })
    ).body.token;
    expect((await history(creatorToken)).items).toEqual([
      {
        id: `gift_received:${sent.gift.id}`,
        type: 'gift_received',
        coins: 15,
        diamonds: 7,
        status: 'settled',
        at: settledAt,
        ref: sent.gift.id,
      },
    ]);
  });

  it('payouts read their status from the payout record: pending, paid, failed', async () => {
    const { token, user } = await s.createUser();
    const k = s.deps.keys;
    for (const status of ['pending', 'paid', 'failed']) {
      const id = mintId(userShard(user.id));
      await s.deps.redis.hset(k.payout(id), { id, userId: user.id, diamonds: 2000, status, createdAt: 1000 });
      await s.deps.redis.zadd(
        k.txs(user.id),
        await s.deps.redis.hincrby(k.wallet(user.id), 'txSeq', 1),
        `payout:${id}`,
      );
    }
    const items = (await s.request('GET', '/v1/wallet/transactions', { token })).body.items;
    expect(items.map((i: { status: string }) => i.status)).toEqual(['failed', 'paid', 'pending']);
    expect(items[0]).toMatchObject({ type: 'payout', diamonds: -2000, at: 1000 });
    expect(items[0].coins).toBeUndefined();
  });

  it('pages follow the cursor until nextCursor is null, without gaps or repeats', async () => {
    const { token, user } = await s.createUser();
    for (let i = 1; i <= 7; i++) await fundViewer(s.deps, user, i);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const res = await s.request('GET', `/v1/wallet/transactions${q}`, { token });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { coins: number }) => i.coins));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const exact = await s.request('GET', '/v1/wallet/transactions?limit=7', { token });
    expect(exact.body.nextCursor).toBeNull();
    expect((await s.request('GET', '/v1/wallet/transactions', { token })).body.items).toHaveLength(7);
  });

  it.each(['limit=0', 'limit=101', 'limit=1.5', 'limit=ten', 'cursor=abc', 'cursor=-1', 'cursor='])(
    '?%s is VALIDATION_FAILED',
    async (q) => {
      const { token } = await s.createUser();
      const res = await s.request('GET', `/v1/wallet/transactions?${q}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    },
  );

  it('the history needs a token', async () => {
    expect((await s.request('GET', '/v1/wallet/transactions')).status).toBe(401);
  });
});
