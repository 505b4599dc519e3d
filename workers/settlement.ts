import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Deps } from '../shared/domain/deps';
import { QUEUES, SWEEP_SCHEDULER_ID, settleJob, workerOptions, type Queues } from '../shared/domain/queues';
import { settleGifts } from '../shared/domain/settlement';
import { sweepOutbox, sweepPayouts } from '../shared/domain/sweeper';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';
import { timedSettlement } from './metrics-settlement';

/**
 * The settlement worker: 'settle' jobs post each gift of their batch (pipelined; a gift already settled is a
 * no-op, which is what makes BullMQ's at-least-once delivery exactly-once in effect), and the repeatable 'sweep'
 * job re-enqueues outbox entries (and pending payouts) older than SETTLE_STALE_MS.
 */
export async function startSettlementWorker(deps: Deps, queues: Queues): Promise<() => Promise<void>> {
  const connection = createBullConnection(deps.config);
  const worker = new Worker(
    QUEUES.settlement,
    async (job: Job) => {
      if (job.name === 'sweep') {
        const gifts = await sweepOutbox(deps, queues.get(QUEUES.settlement));
        const payouts = await sweepPayouts(deps, queues.get(QUEUES.payouts));
        if (gifts + payouts > 0) deps.log.warn({ gifts, payouts }, 'sweeper re-enqueued stale entries');
        return { gifts, payouts };
      }
      const data = settleJob.safeParse(job.data);
      if (job.name !== 'settle' || !data.success) throw new UnrecoverableError(`malformed settlement job ${job.name}`);
      const results = await timedSettlement(deps, data.data.giftIds, () => settleGifts(deps, data.data.giftIds));
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
