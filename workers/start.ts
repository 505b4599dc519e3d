import type { Deps } from '../shared/domain/deps';
import { payoutProviderFor, type PayoutProvider } from '../shared/domain/payments/payout-provider';
import { Queues } from '../shared/runtime/queues';
import { startBattleWorker } from './battles';
import { startPayoutWorker } from './payouts';
import { startSettlementWorker } from './settlement';
import { startWebhookWorker } from './webhooks';

export interface RunningWorkers {
  close(): Promise<void>;
}

export interface WorkerOverrides {
  /** Tests and embedders may plug in another payout provider. */
  payoutProvider?: PayoutProvider;
}

/**
 * Starts every background worker of this process (settlement, sweeper, payouts, battle timers).
 * Each feature adds its worker here; close() stops them gracefully (running jobs finish first).
 */
export async function startWorkers(deps: Deps, overrides: WorkerOverrides = {}): Promise<RunningWorkers> {
  const closers: Array<() => Promise<void>> = [];
  const queues = new Queues(deps);
  closers.push(() => queues.close());
  closers.push(await startSettlementWorker(deps, queues));
  closers.push(await startPayoutWorker(deps, overrides.payoutProvider ?? payoutProviderFor(deps.config)));
  closers.push(await startBattleWorker(deps, queues));
  closers.push(await startWebhookWorker(deps, queues));
  return {
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
