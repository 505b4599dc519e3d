import { USER_SHARDS } from '../redis/keys';
import type { Deps } from '../domain/deps';
import { stalePendingPayouts } from '../domain/payouts';
import { QUEUES, Queues } from './queues';
import type { ReconcileExtension, Violation } from '../domain/reconcile';

/**
 * The settlement and payout jobs in the reconciliation report: queue depths and failed jobs (kept in BullMQ's
 * failed set, never dropped), pending payouts and how many are older than SETTLE_STALE_MS.
 *
 * A failed settlement job leaves nothing stranded (its gifts stay in the outbox and the sweeper enqueues them
 * again), so it is a figure. A pending payout whose job failed is stuck: the creator's diamonds are out of the
 * balance and nobody will pay them until an operator retries the job, so each one is a violation.
 */
export const jobsReconcileExtension: ReconcileExtension = {
  name: 'jobs',
  async run(deps: Deps, now: number) {
    const queues = new Queues(deps);
    try {
      const settlement = queues.get(QUEUES.settlement);
      const payouts = queues.get(QUEUES.payouts);
      const s = await settlement.getJobCounts('wait', 'active', 'delayed', 'failed');
      const p = await payouts.getJobCounts('wait', 'active', 'delayed', 'failed');
      const stale = await stalePendingPayouts(deps, now - deps.config.settleStaleMs, deps.config.sweepMax);
      const violations: Violation[] = [];
      for (const id of stale) {
        const state = await payouts.getJobState(id);
        if (state === 'failed') {
          const userId = (await deps.redis.hget(deps.keys.payout(id), 'userId')) ?? undefined;
          violations.push({
            check: 'every pending payout is on its way',
            userId,
            actual: state,
            message: `payout ${id} is pending and its job failed: retry the job (the payouts queue, job id ${id})`,
          });
        }
      }
      return {
        figures: {
          settleJobsWaiting: s.wait ?? 0,
          // retries waiting out their backoff, and the sweeper's next run
          settleJobsDelayed: s.delayed ?? 0,
          settleJobsActive: s.active ?? 0,
          settleJobsFailed: s.failed ?? 0,
          payoutJobsWaiting: p.wait ?? 0,
          payoutJobsDelayed: p.delayed ?? 0,
          payoutJobsActive: p.active ?? 0,
          payoutJobsFailed: p.failed ?? 0,
          payoutsPending: await countPendingPayouts(deps),
          payoutsPendingStale: stale.length,
        },
        violations,
      };
    } finally {
      await queues.close();
    }
  },
};

/** Pending payouts across every user shard. */
async function countPendingPayouts(deps: Deps): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: USER_SHARDS }, (_, shard) => deps.redis.zcard(deps.keys.payoutsPending(shard))),
  );
  return counts.reduce((a, b) => a + b, 0);
}
