import type { Battle } from '../contracts/models';
import { dueAt } from '../domain/battles';
import { QUEUES, type BattleJob, type Queues } from './queues';

/**
 * Durable battle timers: one delayed BullMQ job per due transition (the invitation's expiry, the end at endsAt),
 * processed by workers/battles.ts. They survive every process restart (they live in Redis), and a job that runs
 * early or twice does nothing harmful: battle-close checks `now` and the status. A timer that was never added (a
 * process died right after the script) is covered by the sweeper, which reads battles:due.
 */
export async function scheduleBattleTimer(queues: Queues, battle: Battle): Promise<void> {
  const at = dueAt(battle);
  if (at === null) return;
  const kind = battle.status === 'pending' ? 'expire' : 'end';
  const job: BattleJob = { kind, battleId: battle.id };
  // The job id makes a repeat of the same schedule a no-op (BullMQ ids may not contain ':').
  await queues
    .get(QUEUES.battles)
    .add(kind, job, { jobId: `${kind}-${battle.id}`, delay: Math.max(0, at - Date.now()) });
}
