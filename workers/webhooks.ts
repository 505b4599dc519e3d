import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Deps } from '../shared/domain/deps';
import {
  QUEUES,
  WEBHOOK_RELAY_SCHEDULER_ID,
  webhookDeliverJob,
  workerOptions,
  type Queues,
} from '../shared/runtime/queues';
import { attemptDelivery } from '../shared/runtime/webhook-delivery';
import { relayWebhookEvents } from '../shared/runtime/webhook-relay';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';
import { webhookDeliveryLatency } from './metrics-webhooks';

/** Deliveries wait on receivers (up to 10 s each): many run at once so that one slow receiver holds few slots. */
const WEBHOOK_CONCURRENCY = 32;

/**
 * The webhooks worker: the repeatable 'relay' job moves filed events into 'deliver' jobs, and each 'deliver' job is
 * one signed POST. A failed attempt throws, so BullMQ retries it with backoff; the last one stays in the failed set
 * and the delivery log says `failed`. A worker killed mid-attempt leaves the job locked: it runs again once its lock
 * expires (at least once).
 */
export async function startWebhookWorker(deps: Deps, queues: Queues): Promise<() => Promise<void>> {
  const connection = createBullConnection(deps.config);
  // one relay pass at a time in this process: passes that overlap would only repeat each other's (idempotent) work
  let relaying = false;
  const relay = async () => {
    if (relaying) return { skipped: true };
    relaying = true;
    try {
      return await relayWebhookEvents(deps, queues.get(QUEUES.webhooks));
    } finally {
      relaying = false;
    }
  };
  const worker = new Worker(
    QUEUES.webhooks,
    async (job: Job) => {
      if (job.name === 'relay') return relay();
      const data = webhookDeliverJob.safeParse(job.data);
      if (job.name !== 'deliver' || !data.success) throw new UnrecoverableError(`malformed webhooks job ${job.name}`);
      const { webhookId, eventId, redelivery } = data.data;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await attemptDelivery(deps, webhookId, eventId, { last, redelivery: redelivery ?? false });
      if (outcome.kind === 'delivered') webhookDeliveryLatency.observe(outcome.latencyMs / 1000);
      if (outcome.kind === 'retry') throw new Error(`receiver answered ${outcome.statusCode ?? 'nothing'}`);
      if (outcome.kind === 'failed') throw new UnrecoverableError(outcome.why);
      return outcome;
    },
    { ...workerOptions(deps, connection), concurrency: Math.max(deps.config.workerConcurrency, WEBHOOK_CONCURRENCY) },
  );
  worker.on('error', (err) => deps.log.warn({ err }, 'webhooks worker connection error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ err: err.message, jobId: job?.id, attempts: job?.attemptsMade }, 'webhook delivery attempt failed'),
  );

  // One fixed scheduler id: every worker process upserts the same schedule, so there is one relay per period.
  await queues
    .get(QUEUES.webhooks)
    .upsertJobScheduler(
      WEBHOOK_RELAY_SCHEDULER_ID,
      { every: deps.config.webhookRelayEveryMs },
      { name: 'relay', data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } } },
    );

  return async () => {
    await worker.close();
    await quitWhenReady(connection);
  };
}
