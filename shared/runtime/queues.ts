import { Queue, type ConnectionOptions, type JobsOptions, type WorkerOptions } from 'bullmq';
import { z } from 'zod';
import { createBullConnection, quitWhenReady, type RedisConnection } from '../redis/client';
import type { Deps } from '../domain/deps';

/**
 * Every BullMQ queue of Giftwire, one line each, all under `keys.bullPrefix` (so a key prefix isolates a
 * deployment's, or a test file's, queues). Job names and payloads are typed beside the queue they belong to.
 *
 * Each name is a Redis Cluster hash tag: BullMQ's scripts touch many keys of one queue at once, so all of a queue's
 * keys must sit in one slot, and the tag in the name puts them there whatever the prefix (BullMQ's documented way).
 * One tag per queue, not one for all: on a cluster the queues spread over the masters.
 */
export const QUEUES = {
  /** 'settle' { giftEventIds, finish? } batches of accepted gifts; 'sweep' the repeatable outbox sweeper. */
  settlement: '{settlement}',
  /** 'payout' { payoutId } one job per requested payout. */
  payouts: '{payouts}',
  /** 'expire' / 'end' { battleId } a battle's timer, delayed until due; 'sweep' the repeatable battle sweeper. */
  battles: '{battles}',
  /** 'relay' the repeatable webhooks relay (outboxes -> deliveries); 'deliver' { webhookId, eventId } one POST. */
  webhooks: '{webhooks}',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The name operators see (metrics labels, the queue API, Bull Board): the role, without the Redis hash tag. */
export type QueueRole = keyof typeof QUEUES;
export const QUEUE_ROLES = Object.keys(QUEUES) as [QueueRole, ...QueueRole[]];

/** Job payloads are checked when a worker takes them: a malformed job fails at once instead of retrying. */
export const settleJob = z.object({
  giftEventIds: z.array(z.string().min(1).max(64)).max(100_000),
  /** The gifts may not have finished their room phase (found by the sweeper): settlement runs it first. */
  finish: z.boolean().optional(),
});
export type SettleJob = z.infer<typeof settleJob>;
export const payoutJob = z.object({ payoutId: z.string().min(1).max(64) });
export type PayoutJob = z.infer<typeof payoutJob>;
export const battleJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['expire', 'end']), battleId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('sweep') }),
]);
export type BattleJob = z.infer<typeof battleJob>;
export const webhookDeliverJob = z.object({
  webhookId: z.string().min(1).max(64),
  eventId: z.string().min(1).max(64),
  /** An operator's redelivery: sent even when the event was delivered before. */
  redelivery: z.boolean().optional(),
});
export type WebhookDeliverJob = z.infer<typeof webhookDeliverJob>;

/** The sweeper's job scheduler id: one fixed id, so any number of worker processes upsert one schedule. */
export const SWEEP_SCHEDULER_ID = 'outbox-sweep';
export const BATTLE_SWEEP_SCHEDULER_ID = 'battle-sweep';
export const WEBHOOK_RELAY_SCHEDULER_ID = 'webhook-relay';

/**
 * Retries with exponential backoff; completed jobs are trimmed, failed ones are kept (never dropped silently:
 * the reconciliation report counts them).
 */
export function defaultJobOptions(deps: Pick<Deps, 'config'>): JobsOptions {
  return {
    attempts: deps.config.jobAttempts,
    backoff: { type: 'exponential', delay: deps.config.jobBackoffMs },
    removeOnComplete: { count: 1000 },
    removeOnFail: false,
  };
}

/** Connection and prefix options shared by every Queue and Worker of a deployment. */
export function bullOptions(deps: Pick<Deps, 'keys'>, connection: ConnectionOptions) {
  return { connection, prefix: deps.keys.bullPrefix };
}

/**
 * Worker options: WORKER_CONCURRENCY jobs at once; a job whose worker died (its lock not renewed for
 * WORKER_LOCK_MS) goes back to the queue. Every job is idempotent, so a job that stalls again and again is still
 * safe to rerun; after a few stalls it fails and stays visible.
 */
export function workerOptions(deps: Pick<Deps, 'keys' | 'config'>, connection: ConnectionOptions): WorkerOptions {
  return {
    ...bullOptions(deps, connection),
    concurrency: deps.config.workerConcurrency,
    lockDuration: deps.config.workerLockMs,
    stalledInterval: deps.config.workerLockMs,
    maxStalledCount: 5,
  };
}

/**
 * The queues one process adds jobs to, opened lazily on one shared connection (BullMQ needs
 * maxRetriesPerRequest: null, so an add waits out a Redis restart instead of failing).
 */
export class Queues {
  private connection: RedisConnection | undefined;
  private readonly open = new Map<QueueName, Queue>();

  constructor(private readonly deps: Deps) {}

  get(name: QueueName): Queue {
    let q = this.open.get(name);
    if (!q) {
      this.connection ??= createBullConnection(this.deps.config);
      q = new Queue(name, {
        ...bullOptions(this.deps, this.connection),
        defaultJobOptions: defaultJobOptions(this.deps),
      });
      q.on('error', (err) => this.deps.log.warn({ err, queue: name }, 'queue connection error'));
      this.open.set(name, q);
    }
    return q;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((q) => q.close()));
    this.open.clear();
    if (this.connection) await quitWhenReady(this.connection);
    this.connection = undefined;
  }
}

/** Adds settlement jobs for these gift event ids, `batchMax` ids per job. */
export async function enqueueSettlement(
  deps: Pick<Deps, 'config'>,
  queue: Queue,
  giftEventIds: string[],
  finish = false,
): Promise<void> {
  const max = deps.config.settleBatchMax;
  const jobs = [];
  for (let i = 0; i < giftEventIds.length; i += max) {
    const data: SettleJob = { giftEventIds: giftEventIds.slice(i, i + max), ...(finish ? { finish } : {}) };
    jobs.push({ name: 'settle', data });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
}

/** Hands a payout to the payout workers. The job id is the payout id, so enqueueing twice queues it once. */
export async function enqueuePayout(queue: Queue, payoutId: string): Promise<void> {
  await queue.add('payout', { payoutId } satisfies PayoutJob, { jobId: payoutId });
}

/**
 * Queues the delivery of one event to one webhook: WEBHOOK_ATTEMPTS attempts, exponential backoff from
 * WEBHOOK_RETRY_BASE_MS. The job id names the pair, so the relay running twice queues it once; a redelivery adds a
 * job of its own (`attempt` tells it apart).
 */
export async function enqueueWebhookDeliveries(
  deps: Pick<Deps, 'config'>,
  queue: Queue,
  deliveries: WebhookDeliverJob[],
  redelivery?: string,
): Promise<void> {
  if (deliveries.length === 0) return;
  await queue.addBulk(
    deliveries.map((delivery) => ({
      name: 'deliver',
      data: { ...delivery, ...(redelivery ? { redelivery: true } : {}) },
      opts: {
        jobId: [delivery.webhookId, delivery.eventId, ...(redelivery ? [redelivery] : [])].join('.'),
        attempts: deps.config.webhookAttempts,
        backoff: { type: 'exponential', delay: deps.config.webhookRetryBaseMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 10_000 },
      },
    })),
  );
}
