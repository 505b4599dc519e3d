import { randomUUID } from 'node:crypto';
import { recharge } from '../../../shared/domain/recharges';
import { walletRecord } from '../../../shared/domain/wallet';
import { testDeps } from '../../../shared/testing/harness';
import { testAdult } from '../../../shared/testing/money';

/**
 * After a connection drop, ioredis sends again the commands that were in flight. When the first `SET … NX` of a
 * recharge's in-flight lock had landed, the re-send finds the lock taken, by this very request: the request must
 * recognise its own owner and go on, not wait out the lock (IDEMPOTENCY_LOCK_MS, 30 s) for itself.
 */
describe('a recharge whose lock claim was re-sent recognises its own lock', () => {
  const deps = testDeps({ idempotencyLockMs: 30_000 });
  afterAll(() => deps.close());

  it('the re-sent claim counts as ours: charged and credited once, at once', async () => {
    const buyer = await testAdult(deps);
    const realSet = deps.redis.set.bind(deps.redis) as (...args: unknown[]) => Promise<unknown>;
    let resent = 0;
    // the first claim of an idempotency lock reaches Redis twice, and only the second reply comes back, as after a
    // dropped connection (the real Redis sees both commands)
    (deps.redis as unknown as { set: (...args: unknown[]) => Promise<unknown> }).set = async (...args: unknown[]) => {
      if (resent === 0 && String(args[0]).includes(':idemlock:')) {
        resent += 1;
        await realSet(...args);
      }
      return realSet(...args);
    };
    const started = Date.now();
    const out = await recharge(deps, {
      user: buyer,
      body: { coins: 250, payment: { token: 'tok_ok' } },
      idempotencyKey: randomUUID(),
    });
    expect(resent).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.replay).toBe(false);
    expect(out.response.recharge).toMatchObject({ coins: 250, status: 'succeeded' });
    expect(walletRecord(await deps.redis.hgetall(deps.keys.wallet(buyer.id)))).toMatchObject({
      coins: 250,
      purchased: 250,
    });
  });
});
