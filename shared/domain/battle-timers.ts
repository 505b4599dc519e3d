import { Queue } from 'bullmq';
import { createBullConnection, quitWhenReady } from '../redis/client';
import type { Battle } from '../contracts/models';
import type { Deps } from './deps';
import { dueAt } from './battles';

/**
 * Durable battle timers: one delayed BullMQ job per due transition (the invitation's expiry, the end at endsAt),
 * processed by workers/battles.ts. They survive every process restart (they live in Redis), and a job that runs
 * early or twice does nothing harmful: battle-settle checks `now` and the status. A timer that was never added (a
 * process died right after the script) is covered by the sweeper, which reads battles:due.
 */
export const BATTLE_QUEUE = 'battles';

export type BattleJob = { kind: 'expire' | 'end'; battleId: string } | { kind: 'sweep' };

export interface BattleTimers {
  /** Schedules the battle's next transition (nothing when it is closed). */
  schedule(battle: Battle): Promise<void>;
  close(): Promise<void>;
}

export function createBattleTimers(deps: Deps): BattleTimers {
  let queue: Queue<BattleJob> | undefined;
  let connection: ReturnType<typeof createBullConnection> | undefined;
  const open = () => {
    connection ??= createBullConnection(deps.config.redisUrl!);
    queue ??= new Queue<BattleJob>(BATTLE_QUEUE, { connection, prefix: deps.keys.bullPrefix });
    return queue;
  };
  return {
    async schedule(battle) {
      const at = dueAt(battle);
      if (at === null) return;
      const kind = battle.status === 'pending' ? 'expire' : 'end';
      // The job id makes a repeat of the same schedule a no-op (BullMQ ids may not contain ':').
      await open().add(kind, { kind, battleId: battle.id }, {
        jobId: `${kind}-${battle.id}`,
        delay: Math.max(0, at - Date.now()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 24 * 3600 },
      });
    },
    async close() {
      await queue?.close();
      if (connection) await quitWhenReady(connection);
    },
  };
}
