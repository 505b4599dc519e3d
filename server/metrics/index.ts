import { registerOperationsMetrics } from '../../shared/runtime/operations-metrics';
import type { ServerContext } from '../context';
import { registerGiftMetrics } from './gift-metrics';
import { registerRealtimeMetrics } from './realtime-metrics';

/** Every metric of a server process beyond the ones features keep themselves (see docs/API.md "Metrics"). */
export function registerServerMetrics(ctx: ServerContext): void {
  registerGiftMetrics(ctx);
  registerRealtimeMetrics(ctx);
  registerOperationsMetrics(ctx.metrics, ctx, ctx.queues);
}
