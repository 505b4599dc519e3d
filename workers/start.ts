import type { Deps } from '../shared/domain/deps';
import { startBattleWorker } from './battles';

export interface RunningWorkers {
  close(): Promise<void>;
}

/**
 * Starts every background worker of this process (settlement, sweeper, payouts, battle timers).
 * Each feature adds its worker here; close() stops them gracefully (running jobs finish first).
 */
export async function startWorkers(deps: Deps): Promise<RunningWorkers> {
  const closers: Array<() => Promise<void>> = [];
  closers.push((await startBattleWorker(deps)).close);
  return {
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
