import { randomUUID } from 'node:crypto';
import { paymentProviderFor, type PaymentProvider } from '../../../shared/domain/payments/payment-provider';
import { recharge } from '../../../shared/domain/recharges';
import { sweepRecharges } from '../../../shared/domain/recharge-sweep';
import { reconcile } from '../../../shared/domain/reconcile';
import { userShard } from '../../../shared/redis/keys';
import { walletRecord } from '../../../shared/domain/wallet';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * A recharge writes its intent before it calls the provider and gives the provider its own id as the idempotency
 * key. A process killed after the provider charged and before the credit leaves an intent the sweep finishes: the
 * provider says it charged, the coins are credited once, and the client's retry gets that very recharge.
 */
describe('a recharge charged by the provider but never recorded is found and finished', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await killAllEntries();
    await s.close();
  });

  const money = async (userId: string) => walletRecord(await s.deps.redis.hgetall(s.deps.keys.wallet(userId)));
  const buy = (base: string, token: string, key: string, coins = 120) =>
    fetch(`${base}/v1/wallet/recharges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ coins, payment: { token: 'tok_ok' } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const later = () => Date.now() + s.deps.config.settleStaleMs + 1;

  it('SIGKILL between the charge and the record: the sweep credits once, the retry replays that recharge', async () => {
    const { user, token } = await s.createUser();
    const key = randomUUID();
    const doomed = await startServerProcess({
      KEY_PREFIX: s.deps.keys.prefix,
      REDIS_URL: s.deps.config.redisUrl!,
      MONEY_CRASH_AT: 'charge',
    });
    expect(
      await buy(doomed.url, token, key).then(
        () => 'answered',
        () => 'no answer',
      ),
    ).toBe('no answer');
    expect(await doomed.exited).toBe('SIGKILL');

    // what the dead process left: an intent, charging, that the provider charged; no coins yet
    const [id] = await s.deps.redis.zrange(s.deps.keys.rechargesCharging(userShard(user.id)), 0, -1);
    expect(await s.deps.redis.hget(s.deps.keys.recharge(id!), 'status')).toBe('charging');
    expect(await paymentProviderFor(s.deps).lookup({ userId: user.id, idempotencyKey: id! })).toMatchObject({
      status: 'charged',
    });
    expect(await money(user.id)).toMatchObject({ coins: 0, purchased: 0 });

    expect(await sweepRecharges(s.deps, paymentProviderFor(s.deps), later())).toBe(1);
    expect(await sweepRecharges(s.deps, paymentProviderFor(s.deps), later())).toBe(0);
    expect(await money(user.id)).toMatchObject({ coins: 120, purchased: 120 });

    const retry = await buy(s.url, token, key);
    expect(retry.status).toBe(201);
    expect(retry.body.recharge).toMatchObject({ id, coins: 120, status: 'succeeded' });
    expect(await money(user.id)).toMatchObject({ coins: 120, purchased: 120 });
    expect((await reconcile(s.deps)).violations).toEqual([]);
  });

  it('SIGKILL after the charge, then the client retries before any sweep: the same charge, credited once', async () => {
    const { user, token } = await s.createUser();
    const key = randomUUID();
    const doomed = await startServerProcess({
      KEY_PREFIX: s.deps.keys.prefix,
      REDIS_URL: s.deps.config.redisUrl!,
      MONEY_CRASH_AT: 'charge',
      // the dead request's in-flight lock expires after this; the retry waits for it, then finds the open intent
      IDEMPOTENCY_LOCK_MS: '1500',
    });
    await buy(doomed.url, token, key).catch(() => undefined);
    expect(await doomed.exited).toBe('SIGKILL');
    const retry = await buy(s.url, token, key);
    expect(retry.status).toBe(201);
    expect(await sweepRecharges(s.deps, paymentProviderFor(s.deps), later())).toBe(0);
    expect(await money(user.id)).toMatchObject({ coins: 120, purchased: 120 });
  });

  it('a provider that never answered and has no record of it: the sweep abandons the intent and frees the key', async () => {
    const { user } = await s.createUser();
    const key = randomUUID();
    const unreachable: PaymentProvider = {
      name: 'down',
      charge: () => Promise.reject(new Error('connection refused')),
      lookup: () => Promise.resolve(null),
    };
    const input = { user, body: { coins: 40, payment: { token: 'tok_ok' } }, idempotencyKey: key };
    await expect(recharge(s.deps, input, unreachable)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const [id] = await s.deps.redis.zrange(s.deps.keys.rechargesCharging(userShard(user.id)), 0, -1);
    expect(id).toBeDefined();
    expect(await sweepRecharges(s.deps, unreachable, later())).toBe(1);
    expect(await s.deps.redis.hget(s.deps.keys.recharge(id!), 'status')).toBe('failed');
    const again = await recharge(s.deps, input);
    expect(again.response.recharge.id).not.toBe(id);
    expect(await money(user.id)).toMatchObject({ coins: 40, purchased: 40 });
  });
});
