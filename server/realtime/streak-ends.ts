import { startStreakPoller } from '../../shared/runtime/streak-poller';
import type { ServerContext } from '../context';

/** Every server process polls for due streaks and announces their ends (shared/runtime/streak-poller.ts). */
export function startStreakEnds(ctx: ServerContext): void {
  const stop = startStreakPoller(ctx);
  ctx.onClose(stop);
}
