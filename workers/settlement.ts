import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Deps } from '../shared/domain/deps';
import { QUEUES, SWEEP_SCHEDULER_ID, settleJob, workerOptions, type Queues } from '../shared/runtime/queues';
import { settleGifts } from '../shared/domain/settlement';
import { sweepOutbox, sweepPayouts } from '../shared/runtime/sweeper';
import { sweepRecharges } from '../shared/domain/recharge-sweep';
import { paymentProviderFor } from '../shared/domain/payments/payment-provider';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';
import { announceThroughEmitter } from '../shared/usecases/announce';
import { announceGoals } from '../shared/usecases/goals';
import { timedSettlement } from './metrics-settlement';

/**
 * The settlement worker: 'settle' jobs post each gift of their batch (creator credited, then the sender's hold
 * posted; each step a no-op the second time, which is what makes BullMQ's at-least-once delivery exactly-once in
 * effect), and the repeatable 'sweep' job re-enqueues outbox entries of every shard (and pending payouts) older than
 * SETTLE_STALE_MS, to be finished and settled.
 */
export async function startSettlementWorker(deps: Deps, queues: Queues): Promise<() => Promise<void>> {
  const connection = createBullConnection(deps.config);
  const announce = announceThroughEmitter(deps);
  const worker = new Worker(
    QUEUES.settlement,
    async (job: Job) => {
      if (job.name === 'sweep') {
        const gifts = await sweepOutbox(deps, queues.get(QUEUES.settlement));
        const payouts = await sweepPayouts(deps, queues.get(QUEUES.payouts));
        const recharges = await sweepRecharges(deps, paymentProviderFor(deps));
        if (gifts + payouts + recharges > 0) {
          deps.log.warn({ gifts, payouts, recharges }, 'sweeper re-enqueued or finished stale entries');
        }
        return { gifts, payouts, recharges };
      }
      const data = settleJob.safeParse(job.data);
      if (job.name !== 'settle' || !data.success) throw new UnrecoverableError(`malformed settlement job ${job.name}`);
      const { giftEventIds, finish } = data.data;
      const results = await timedSettlement(deps, giftEventIds, () =>
        settleGifts(deps, giftEventIds, { finish: finish ?? false }),
      );
      await announceGoals(deps, announce, results);
      const settled = results.filter((r) => r.outcome === 'settled').length;
      return { settled, skipped: results.length - settled };
    },
    workerOptions(deps, connection),
  );
  worker.on('error', (err) => deps.log.warn({ err }, 'settlement worker connection error'));
  worker.on('failed', (job, err) =>
    deps.log.error({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'settlement job failed'),
  );

  // One fixed scheduler id: every worker process upserts the same schedule, so there is one sweep per period.
  await queues
    .get(QUEUES.settlement)
    .upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: deps.config.sweepEveryMs },
      { name: 'sweep', data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } } },
    );

  return async () => {
    await worker.close(); // lets running jobs finish
    await quitWhenReady(connection);
  };
}
