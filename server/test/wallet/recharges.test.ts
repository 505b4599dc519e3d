import { randomUUID } from 'node:crypto';
import { type GiftwireError } from '../../../shared/contracts/errors';
import { priceCustomAmount } from '../../../shared/domain/catalog';
import type { ChargeRequest, PaymentProvider } from '../../../shared/domain/payments/payment-provider';
import { recharge } from '../../../shared/domain/recharges';
import { script } from '../../../shared/redis/scripts';
import { mintId, userShard } from '../../../shared/redis/keys';
import { startTestServer, type TestServer } from '../support/test-server';
import { walletOf } from './fixtures';

describe('viewers buy coins, charged and credited exactly once per Idempotency-Key', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  /** `key` null sends no Idempotency-Key header. */
  const buy = (token: string | undefined, body: unknown, key: string | null = randomUUID()) =>
    s.request('POST', '/v1/wallet/recharges', { token, body, headers: key === null ? {} : { 'Idempotency-Key': key } });

  it('a package recharge credits its coins and answers 201 with the recharge and the wallet', async () => {
    const { token, user } = await s.createUser();
    const res = await buy(token, { packageId: 'coins-500', payment: { token: 'tok_ok' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      recharge: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        coins: 500,
        priceCents: 649,
        currency: 'USD',
        status: 'succeeded',
      },
      wallet: { coins: 500, heldCoins: 0, diamonds: 0, spentTodayCoins: 0, dailySpendLimitCoins: null },
    });
    expect((await s.request('GET', '/v1/wallet', { token })).body).toEqual({
      ...res.body.wallet,
      withdrawableDiamonds: 0,
    });
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 500, purchased: 500 });
  });

  it("a custom amount is priced at the smallest pack's price per coin, rounded up to the cent", async () => {
    const { token } = await s.createUser();
    for (const coins of [1, 70, 71, 1_000_000]) {
      const res = await buy(token, { coins, payment: { token: 'tok_ok' } });
      expect(res.status).toBe(201);
      expect(res.body.recharge).toMatchObject({ coins, ...priceCustomAmount(coins) });
    }
    expect(priceCustomAmount(1)).toEqual({ priceCents: 2, currency: 'USD' });
    expect(priceCustomAmount(70)).toEqual({ priceCents: 99, currency: 'USD' });
  });

  it('the same key and body returns the stored first response and credits nothing more', async () => {
    const { token, user } = await s.createUser();
    const key = randomUUID();
    const first = await buy(token, { packageId: 'coins-100', payment: { token: 'tok_ok' } }, key);
    await buy(token, { coins: 7, payment: { token: 'tok_ok' } }); // the wallet moves on in between
    const again = await buy(token, { packageId: 'coins-100', payment: { token: 'tok_ok' } }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 107, purchased: 107 });
  });

  it('the same key with another body is IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const { token, user } = await s.createUser();
    const key = randomUUID();
    await buy(token, { packageId: 'coins-100', payment: { token: 'tok_ok' } }, key);
    for (const body of [
      { packageId: 'coins-500', payment: { token: 'tok_ok' } },
      { coins: 100, payment: { token: 'tok_ok' } },
    ]) {
      const res = await buy(token, body, key);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    }
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 100, purchased: 100 });
  });

  it("keys are scoped per user: another user's same key is a new recharge", async () => {
    const a = await s.createUser();
    const b = await s.createUser();
    const key = 'shared-key';
    const ra = await buy(a.token, { coins: 10, payment: { token: 'tok_ok' } }, key);
    const rb = await buy(b.token, { coins: 10, payment: { token: 'tok_ok' } }, key);
    expect(rb.status).toBe(201);
    expect(rb.body.recharge.id).not.toBe(ra.body.recharge.id);
    expect((await walletOf(s.deps, b.user.id)).coins).toBe(10);
  });

  it('a declined payment is PAYMENT_DECLINED, credits nothing and binds no key', async () => {
    const { token, user } = await s.createUser();
    const key = randomUUID();
    const declined = await buy(token, { coins: 50, payment: { token: 'tok_declined' } }, key);
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('PAYMENT_DECLINED');
    expect(await s.deps.redis.hgetall(s.deps.keys.wallet(user.id))).toEqual({});
    expect(await s.deps.redis.zcard(s.deps.keys.txs(user.id))).toBe(0);
    const retried = await buy(token, { coins: 50, payment: { token: 'tok_ok' } }, key);
    expect(retried.status).toBe(201);
    expect(retried.body.wallet.coins).toBe(50);
  });

  it('a minor cannot buy coins (AGE_RESTRICTED); an unknown package is NOT_FOUND; neither binds the key', async () => {
    const minor = await s.createUser({ birthDate: `${new Date().getUTCFullYear() - 17}-06-01` });
    const res = await buy(minor.token, { packageId: 'coins-100', payment: { token: 'tok_ok' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('AGE_RESTRICTED');
    expect(await s.deps.redis.hgetall(s.deps.keys.wallet(minor.user.id))).toEqual({});
    const { token } = await s.createUser();
    const key = randomUUID();
    const missing = await buy(token, { packageId: 'coins-3', payment: { token: 'tok_ok' } }, key);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await buy(token, { packageId: 'coins-70', payment: { token: 'tok_ok' } }, key)).status).toBe(201);
  });

  it.each([
    ['1.5 coins', { coins: 1.5, payment: { token: 'tok_ok' } }],
    ['"100" as a string', { coins: '100', payment: { token: 'tok_ok' } }],
    ['-5 coins', { coins: -5, payment: { token: 'tok_ok' } }],
    ['0 coins', { coins: 0, payment: { token: 'tok_ok' } }],
    ['1e12 coins', { coins: 1e12, payment: { token: 'tok_ok' } }],
    ['1,000,001 coins', { coins: 1_000_001, payment: { token: 'tok_ok' } }],
    ['no amount', { payment: { token: 'tok_ok' } }],
    ['both a package and coins', { packageId: 'coins-70', coins: 5, payment: { token: 'tok_ok' } }],
    ['no payment', { coins: 5 }],
    ['an empty payment token', { coins: 5, payment: { token: '' } }],
    ['an extra field', { coins: 5, payment: { token: 'tok_ok' }, bonus: 100 }],
    ['an extra payment field', { coins: 5, payment: { token: 'tok_ok', amount: 1 } }],
    ['a numeric package id', { packageId: 70, payment: { token: 'tok_ok' } }],
    ['an array', [{ coins: 5, payment: { token: 'tok_ok' } }]],
  ])('%s is VALIDATION_FAILED and changes nothing', async (_name, body) => {
    const { token, user } = await s.createUser();
    const res = await buy(token, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await s.deps.redis.hgetall(s.deps.keys.wallet(user.id))).toEqual({});
  });

  it('the Idempotency-Key header is required, 1..255 characters', async () => {
    const { token, user } = await s.createUser();
    const body = { coins: 5, payment: { token: 'tok_ok' } };
    for (const key of [null, '', 'k'.repeat(256)]) {
      const res = await buy(token, body, key);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('Idempotency-Key');
    }
    expect((await buy(token, body, 'k'.repeat(255))).status).toBe(201);
    expect((await buy(token, body, 'k')).status).toBe(201);
    expect((await walletOf(s.deps, user.id)).coins).toBe(10);
  });

  it('validation comes before identity, identity before age', async () => {
    const bad = await buy(undefined, { coins: 0, payment: { token: 'tok_ok' } });
    expect(bad.status).toBe(400);
    const noKey = await buy(undefined, { coins: 5, payment: { token: 'tok_ok' } }, null);
    expect(noKey.status).toBe(400);
    const anon = await buy(undefined, { coins: 5, payment: { token: 'tok_ok' } });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHORIZED');
    expect((await s.request('GET', '/v1/wallet')).status).toBe(401);
  });

  it('200 concurrent recharges with 20 distinct keys credit exactly 20 times', async () => {
    const { token, user } = await s.createUser();
    const keys = Array.from({ length: 20 }, () => randomUUID());
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        buy(token, { packageId: 'coins-100', payment: { token: 'tok_ok' } }, keys[i % 20]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const idsByKey = new Map<string, Set<string>>();
    results.forEach((r, i) => {
      const set = idsByKey.get(keys[i % 20]!) ?? new Set();
      set.add(r.body.recharge.id);
      idsByKey.set(keys[i % 20]!, set);
    });
    for (const ids of idsByKey.values()) expect(ids.size).toBe(1);
    expect(new Set(results.map((r) => r.body.recharge.id)).size).toBe(20);
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 2000, purchased: 2000 });
    expect(await s.deps.redis.zcard(s.deps.keys.txs(user.id))).toBe(20);
  });
});

describe('the payment step sits behind a provider interface', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  /** A provider that counts its charges and takes its time, so concurrent repeats overlap with the first. */
  function slowProvider(outcome: 'ok' | 'decline' | 'throw', ms = 60) {
    const calls: ChargeRequest[] = [];
    const provider: PaymentProvider = {
      name: 'slow',
      async charge(req) {
        calls.push(req);
        await new Promise((r) => setTimeout(r, ms));
        if (outcome === 'throw') throw new Error('connection reset');
        return outcome === 'ok'
          ? { status: 'charged', chargeId: `ch_${calls.length}` }
          : { status: 'declined', reason: 'no' };
      },
      async lookup() {
        return null;
      },
    };
    return { provider, calls };
  }

  it('concurrent repeats of one key wait for the first: one charge, one credit, one answer', async () => {
    const { user } = await s.createUser();
    const { provider, calls } = slowProvider('ok');
    const input = { user, body: { coins: 30, payment: { token: 'tok_any' } }, idempotencyKey: randomUUID() };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => recharge(s.deps, input, provider)));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      userId: user.id,
      amountCents: priceCustomAmount(30).priceCents,
      currency: 'USD',
      // the provider's idempotency key is the recharge's own id, written down before the call
      idempotencyKey: outcomes[0]!.response.recharge.id,
    });
    expect(new Set(outcomes.map((o) => o.response.recharge.id)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replay)).toHaveLength(1);
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 30, purchased: 30 });
    expect(await s.deps.redis.exists(s.deps.keys.idemLock(user.id, input.idempotencyKey))).toBe(0);
  });

  it('when the first attempt is declined, waiting repeats try for themselves and nothing is credited', async () => {
    const { user } = await s.createUser();
    const { provider, calls } = slowProvider('decline', 30);
    const input = { user, body: { coins: 30, payment: { token: 'tok_any' } }, idempotencyKey: randomUUID() };
    const codes = await Promise.all(
      Array.from({ length: 3 }, () =>
        recharge(s.deps, input, provider).then(
          () => 'ok',
          (e: GiftwireError) => e.code,
        ),
      ),
    );
    expect(codes).toEqual(['PAYMENT_DECLINED', 'PAYMENT_DECLINED', 'PAYMENT_DECLINED']);
    expect(calls).toHaveLength(3);
    expect(await s.deps.redis.hgetall(s.deps.keys.wallet(user.id))).toEqual({});
    expect(await s.deps.redis.exists(s.deps.keys.idem(user.id, input.idempotencyKey))).toBe(0);
  });

  it('an unreachable provider is UNAVAILABLE and leaves the key free for a retry', async () => {
    const { user } = await s.createUser();
    const input = { user, body: { packageId: 'coins-70', payment: { token: 'tok_ok' } }, idempotencyKey: randomUUID() };
    const down = slowProvider('throw', 1);
    await expect(recharge(s.deps, input, down.provider)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await s.deps.redis.exists(s.deps.keys.idemLock(user.id, input.idempotencyKey))).toBe(0);
    const ok = await recharge(s.deps, input);
    expect(ok.response.wallet.coins).toBe(70);
  });

  it('the raw credit script run twice with the same ids credits once', async () => {
    const { user } = await s.createUser();
    const k = s.deps.keys;
    const id = mintId(userShard(user.id));
    const args = [
      k.idem(user.id, 'raw'),
      k.idemLock(user.id, 'raw'),
      k.wallet(user.id),
      k.recharge(id),
      k.txs(user.id),
      k.rechargesCharging(userShard(user.id)),
      k.webhookOutbox(`u${userShard(user.id)}`),
      'fp',
      86_400_000,
      'owner',
      id,
      user.id,
      40,
      52,
      'USD',
      '',
      'ch_1',
      'a-webhook-event-id',
    ];
    const run = () => script(s.deps.redis, 'recharge')(...args);
    const first = await run();
    const second = await run();
    expect(first[0]).toBe('OK');
    expect(second).toEqual(['REPLAY', first[1]]);
    expect(await walletOf(s.deps, user.id)).toMatchObject({ coins: 40, purchased: 40 });
    expect(await s.deps.redis.zcard(k.txs(user.id))).toBe(1);
  });
});
