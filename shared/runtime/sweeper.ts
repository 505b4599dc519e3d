import type { Queue } from 'bullmq';
import { USER_SHARDS } from '../redis/keys';
import type { Deps } from '../domain/deps';
import { stalePendingPayouts } from '../domain/payouts';
import { enqueuePayout, enqueueSettlement } from './queues';

/**
 * The safety net under the outbox relay and the payout route: whatever was accepted (a gift, a payout) but did
 * not reach a queue, because a process died in between or Redis was away, is enqueued again once it is older
 * than SETTLE_STALE_MS. Every user shard has its own outbox and every one is swept. Gifts go back with `finish`:
 * their accepting process may have died before their room phase, which settlement then runs (or voids the gift).
 * Enqueueing twice is harmless: every step checks its marker first.
 */
export async function sweepOutbox(deps: Deps, settlement: Queue, now = Date.now()): Promise<number> {
  const perShard = await Promise.all(
    Array.from({ length: USER_SHARDS }, (_, shard) =>
      deps.redis.zrangebyscore(
        deps.keys.outbox(shard),
        '-inf',
        now - deps.config.settleStaleMs,
        'LIMIT',
        0,
        deps.config.sweepMax,
      ),
    ),
  );
  const ids = perShard.flat().slice(0, deps.config.sweepMax);
  await enqueueSettlement(deps, settlement, ids, true);
  return ids.length;
}

/** Pending payouts past the bound get their job again (same job id: a payout still queued is not doubled). */
export async function sweepPayouts(deps: Deps, payouts: Queue, now = Date.now()): Promise<number> {
  const ids = await stalePendingPayouts(deps, now - deps.config.settleStaleMs, deps.config.sweepMax);
  for (const id of ids) await enqueuePayout(payouts, id);
  return ids.length;
}

/** Every gift event id held in any outbox shard (operator reads and stories; the sweeper reads shard by shard). */
export async function outboxEntries(deps: Deps): Promise<string[]> {
  const perShard = await Promise.all(
    Array.from({ length: USER_SHARDS }, (_, shard) => deps.redis.zrange(deps.keys.outbox(shard), 0, -1)),
  );
  return perShard.flat();
}
