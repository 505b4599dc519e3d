import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { GiftwireError } from '../shared/contracts/errors';
import type { Deps } from '../shared/domain/deps';
import type { PayoutProvider } from '../shared/domain/payments/payout-provider';
import { processPayout } from '../shared/domain/payouts';
import { QUEUES, payoutJob, workerOptions } from '../shared/runtime/queues';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';

/**
 * The payout worker: sends each pending payout to the provider and records the verdict (paid; or failed, and the
 * diamonds go back). Provider errors are retried with backoff; a job that exhausts its attempts stays in the
 * failed set with its payout still pending (the reconciliation report lists both).
 */
export async function startPayoutWorker(deps: Deps, provider: PayoutProvider): Promise<() => Promise<void>> {
  const connection = createBullConnection(deps.config);
  const worker = new Worker(
    QUEUES.payouts,
    async (job: Job) => {
      const data = payoutJob.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError('malformed payout job');
      try {
        return { status: await processPayout(deps, provider, data.data.payoutId) };
      } catch (err) {
        if (err instanceof GiftwireError && err.code === 'NOT_FOUND') throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    workerOptions(deps, connection),
  );
  worker.on('error', (err) => deps.log.warn({ err }, 'payout worker connection error'));
  worker.on('failed', (job, err) =>
    deps.log.error({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'payout job failed'),
  );
  return async () => {
    await worker.close();
    await quitWhenReady(connection);
  };
}
