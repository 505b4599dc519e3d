import { USER_SHARDS, userShard } from '../redis/keys';
import type { Deps } from './deps';
import { recordLink } from './fraud';
import type { PaymentProvider } from './payments/payment-provider';
import { abandonIntent, recordCharge, type Price } from './recharges';

/**
 * The recharge sweep: an intent still `charging` after SETTLE_STALE_MS belongs to a request that died (or lost
 * Redis) somewhere between writing its intent and recording its charge. The provider is asked what became of the
 * recharge's id (its idempotency key): a charge is recorded (credited once, the client's key bound to it, so the
 * client's retry gets this recharge); no charge, or a declined one, abandons the intent. A provider that cannot be
 * reached leaves it for the next sweep. Returns how many intents it finished either way.
 */
export async function sweepRecharges(deps: Deps, provider: PaymentProvider, now = Date.now()): Promise<number> {
  const k = deps.keys;
  const perShard = await Promise.all(
    Array.from({ length: USER_SHARDS }, (_, shard) =>
      deps.redis.zrangebyscore(k.rechargesCharging(shard), '-inf', now - deps.config.settleStaleMs, 'LIMIT', 0, 100),
    ),
  );
  let finished = 0;
  for (const id of perShard.flat()) {
    const h = await deps.redis.hgetall(k.recharge(id));
    if (h.status !== 'charging' || !h.userId) {
      if (h.userId) await deps.redis.zrem(k.rechargesCharging(userShard(h.userId)), id);
      continue;
    }
    const found = await provider.lookup({ userId: h.userId, idempotencyKey: id }).catch((err: unknown) => {
      deps.log.warn({ err, rechargeId: id }, 'payment provider unreachable; the recharge waits for the next sweep');
      return undefined;
    });
    if (found === undefined) continue;
    const key = h.idemKey ?? '';
    if (found?.status === 'charged') {
      const price: Price = {
        coins: Number(h.coins),
        priceCents: Number(h.priceCents),
        currency: h.currency ?? '',
        packageId: h.packageId ?? '',
      };
      await recordCharge(
        deps,
        { id, userId: h.userId, idempotencyKey: key, fp: h.fp ?? '', owner: '', price },
        found.chargeId,
      );
      if (found.fingerprint) await recordLink(deps, h.userId, 'payment', found.fingerprint);
    } else {
      await abandonIntent(
        deps,
        h.userId,
        id,
        key,
        found?.status === 'declined' ? found.reason : 'The provider has no charge for it.',
      );
    }
    finished += 1;
  }
  return finished;
}
