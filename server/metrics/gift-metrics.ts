import { performance } from 'node:perf_hooks';
import { Counter, Histogram } from 'prom-client';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import type { ServerContext } from '../context';

/** Seconds; gift:send answers in milliseconds when healthy, and an alert cares about the slow tail. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds; a frame goes out one FRAME_TICK_MS (50 ms by default) after its first gift. */
const BROADCAST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5];

/**
 * The gift path as an operator sees it: how long `gift:send` takes to acknowledge (from the packet's arrival to
 * the ack, by outcome), and how long an accepted gift waits before its `gifts` frame is emitted. Measured around
 * the handlers (a Socket.io middleware wraps the ack; the broadcaster announces its frames), not inside them.
 */
export function registerGiftMetrics(ctx: ServerContext): void {
  const ackLatency = new Histogram({
    name: 'giftwire_gift_ack_seconds',
    help: 'gift:send, from the packet reaching this process to its acknowledgement, by result (ok or error).',
    labelNames: ['result'],
    buckets: ACK_BUCKETS,
    registers: [ctx.metrics],
  });
  const acks = new Counter({
    name: 'giftwire_gift_acks_total',
    help: 'gift:send acknowledgements by outcome: ok, or the error code (RATE_LIMITED counts rate-limited and shed gifts).',
    labelNames: ['outcome'],
    registers: [ctx.metrics],
  });
  const toBroadcast = new Histogram({
    name: 'giftwire_gift_broadcast_delay_seconds',
    help: 'From a gift’s acceptance (its `at`) to the emit of the `gifts` frame carrying it, on the accepting process.',
    buckets: BROADCAST_BUCKETS,
    registers: [ctx.metrics],
  });

  ctx.io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const last = packet.length - 1;
      const ack = packet[last];
      if (packet[0] === 'gift:send' && typeof ack === 'function') {
        const start = performance.now();
        packet[last] = (res: { ok?: boolean; error?: { code?: string } }) => {
          const ok = res?.ok === true;
          ackLatency.observe({ result: ok ? 'ok' : 'error' }, (performance.now() - start) / 1000);
          acks.inc({ outcome: ok ? 'ok' : (res?.error?.code ?? 'unknown') });
          (ack as (r: unknown) => void)(res);
        };
      }
      next();
    });
  });

  const onBroadcast = (gifts: readonly AcceptedGift[]) => {
    const now = Date.now();
    for (const a of gifts) toBroadcast.observe(Math.max(0, now - a.gift.at) / 1000);
  };
  ctx.events.on('gifts:broadcast', onBroadcast);
  ctx.onClose(() => void ctx.events.off('gifts:broadcast', onBroadcast));
}
