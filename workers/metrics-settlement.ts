import { Counter, Histogram, Registry } from 'prom-client';
import type { Deps } from '../shared/domain/deps';
import type { SettleResult } from '../shared/domain/settlement';
import { idShard } from '../shared/redis/keys';

/** Settlement metrics of this process: one registry whatever the number of worker sets started in it. */
export const settlementRegistry = new Registry();
settlementRegistry.setDefaultLabels({ service: 'giftwire-workers' });

/** Seconds; a healthy settlement runs tens of milliseconds behind, a stuck one minutes. */
const LAG_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

const lag = new Histogram({
  name: 'giftwire_settlement_lag_seconds',
  help: "From a gift's acceptance to its settlement (the creator's diamonds credited), gifts settled here.",
  buckets: LAG_BUCKETS,
  registers: [settlementRegistry],
});
const settled = new Counter({
  name: 'giftwire_settlement_gifts_total',
  help: 'Gifts a settlement job of this process handled, by outcome (settled, already-settled, voided, missing).',
  labelNames: ['outcome'],
  registers: [settlementRegistry],
});

/**
 * Runs `settle` for these gifts and observes each newly settled gift's lag. The acceptance times are the outbox
 * scores, read before settling removes them (one ZMSCORE per batch, off the gift's hot path).
 */
export async function timedSettlement(
  deps: Deps,
  giftEventIds: readonly string[],
  settle: () => Promise<SettleResult[]>,
): Promise<SettleResult[]> {
  // each gift in its sender's outbox shard: one ZMSCORE per shard of the batch
  const byShard = new Map<number, string[]>();
  for (const id of giftEventIds) byShard.set(idShard(id), [...(byShard.get(idShard(id)) ?? []), id]);
  const byId = new Map<string, string | null>();
  await Promise.all(
    [...byShard].map(async ([shard, ids]) => {
      const scores = await deps.redis.zmscore(deps.keys.outbox(shard), ...ids).catch(() => []);
      ids.forEach((id, i) => byId.set(id, scores[i] ?? null));
    }),
  );
  const results = await settle();
  const now = Date.now();
  for (const r of results) {
    settled.inc({ outcome: r.outcome });
    const at = byId.get(r.giftEventId);
    if (r.outcome === 'settled' && at !== null && at !== undefined) lag.observe(Math.max(0, now - Number(at)) / 1000);
  }
  return results;
}
