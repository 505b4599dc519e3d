import { Counter } from 'prom-client';
import type { AcceptedGift } from '../shared/domain/gift-types';
import { Batcher } from '../shared/runtime/batcher';
import { QUEUES, enqueueSettlement } from '../shared/runtime/queues';
import type { ServerContext } from './context';

/**
 * The outbox relay: every newly accepted gift's id goes to the settlement queue, batched (one BullMQ job per
 * SETTLE_BATCH_MAX ids or SETTLE_BATCH_MS). The gift is already in the Redis outbox (the accept script put it
 * there), so a relay that dies or cannot reach Redis loses nothing: the sweeper re-enqueues stale entries.
 */
export function startSettlementRelay(ctx: ServerContext): void {
  const enqueued = new Counter({
    name: 'giftwire_settlement_enqueued_gifts_total',
    help: 'Accepted gifts handed to the settlement queue by this server',
    registers: [ctx.metrics],
  });
  const queue = () => ctx.queues.get(QUEUES.settlement);
  const batcher = new Batcher<string>({
    max: ctx.config.settleBatchMax,
    everyMs: ctx.config.settleBatchMs,
    flush: async (ids) => {
      await enqueueSettlement(ctx, queue(), ids);
      enqueued.inc(ids.length);
    },
    onError: (err, ids) =>
      ctx.log.warn({ err, gifts: ids.length }, 'settlement enqueue failed; the sweeper will pick these gifts up'),
  });
  const onAccepted = (accepted: AcceptedGift) => {
    if (!accepted.replay) batcher.add(accepted.gift.id);
  };
  ctx.events.on('gift:accepted', onAccepted);
  ctx.onClose(async () => {
    ctx.events.off('gift:accepted', onAccepted);
    // Bounded: with Redis unreachable an add waits for it; whatever is left is the sweeper's.
    await Promise.race([batcher.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  });
}
