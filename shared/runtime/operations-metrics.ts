import { performance } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';
import type { Deps } from '../domain/deps';
import { USER_SHARDS } from '../redis/keys';
import { QUEUES, QUEUE_ROLES, type Queues } from './queues';
import { webhookOutboxDepth } from './webhook-relay';

/**
 * Gauges of the shared state an operator alerts on, read from Redis at scrape time: the same on every server and
 * worker process (dashboards take the max over processes). Each scrape costs a handful of Redis calls, each
 * given at most a second: with Redis gone the scrape still answers (giftwire_ready 0) instead of hanging.
 */
export function registerOperationsMetrics(registry: Registry, deps: Deps, queues: Queues): void {
  const shards = () => Array.from({ length: USER_SHARDS }, (_, shard) => deps.keys.outbox(shard));
  new Gauge({
    name: 'giftwire_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, failed).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        QUEUE_ROLES.map(async (queue) => {
          const counts = await withinASecond(queues.get(QUEUES[queue]).getJobCounts(...STATES));
          for (const state of STATES) if (counts) this.set({ queue, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  new Gauge({
    name: 'giftwire_outbox_depth',
    help: 'Accepted gifts not settled yet (the settlement outbox, every user shard).',
    registers: [registry],
    async collect() {
      const depths = await withinASecond(Promise.all(shards().map((key) => deps.redis.zcard(key))));
      if (depths !== undefined) this.set(depths.reduce((a, b) => a + b, 0));
    },
  });
  new Gauge({
    name: 'giftwire_outbox_oldest_age_seconds',
    help: 'How long the oldest unsettled gift has waited since its acceptance (0 when the outbox is empty).',
    registers: [registry],
    async collect() {
      const firsts = await withinASecond(
        Promise.all(shards().map((key) => deps.redis.zrange(key, 0, 0, 'WITHSCORES'))),
      );
      if (firsts) {
        const scores = firsts.filter((f) => f[1] !== undefined).map((f) => Number(f[1]));
        this.set(scores.length === 0 ? 0 : Math.max(0, (Date.now() - Math.min(...scores)) / 1000));
      }
    },
  });
  new Gauge({
    name: 'giftwire_ready',
    help: '1 when this process reaches Redis within a second, else 0.',
    registers: [registry],
    async collect() {
      this.set((await withinASecond(deps.redis.ping())) === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'giftwire_redis_rtt_seconds',
    help: 'Round-trip time of a Redis PING from this process, measured at scrape time.',
    registers: [registry],
    async collect() {
      const start = performance.now();
      await withinASecond(deps.redis.ping());
      this.set((performance.now() - start) / 1000);
    },
  });
  // webhooks (issue #18)
  new Gauge({
    name: 'giftwire_webhook_outbox_depth',
    help: 'Webhook events filed and not yet moved into delivery jobs (every user shard, listed stream and battle).',
    registers: [registry],
    async collect() {
      const depth = await withinASecond(webhookOutboxDepth(deps));
      if (depth !== undefined) this.set(depth);
    },
  });
}

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** The value, or undefined when it fails or takes more than a second. */
function withinASecond<T>(p: Promise<T>): Promise<T | undefined> {
  return Promise.race([
    p.catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref()),
  ]);
}
