import type { Queue } from 'bullmq';
import type { Deps } from './deps';
import { enqueuePayout, stalePendingPayouts } from './payouts';
import { enqueueSettlement } from './queues';

/**
 * The safety net under the outbox relay and the payout route: whatever was accepted (a gift, a payout) but did
 * not reach a queue, because a process died in between or Redis was away, is enqueued again once it is older
 * than SETTLE_STALE_MS. Enqueueing twice is harmless: the settle and resolve scripts check their status first.
 */
export async function sweepOutbox(deps: Deps, settlement: Queue, now = Date.now()): Promise<number> {
  const ids = await deps.redis.zrangebyscore(
    deps.keys.outbox,
    '-inf',
    now - deps.config.settleStaleMs,
    'LIMIT',
    0,
    deps.config.sweepMax,
  );
  await enqueueSettlement(deps, settlement, ids);
  return ids.length;
}

/** Pending payouts past the bound get their job again (same job id: a payout still queued is not doubled). */
export async function sweepPayouts(deps: Deps, payouts: Queue, now = Date.now()): Promise<number> {
  const ids = await stalePendingPayouts(deps, now - deps.config.settleStaleMs, deps.config.sweepMax);
  for (const id of ids) await enqueuePayout(payouts, id);
  return ids.length;
}
