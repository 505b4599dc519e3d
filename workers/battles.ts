import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Battle } from '../shared/contracts/models';
import type { Deps } from '../shared/domain/deps';
import { closeBattle, dueAt, dueBattleIds } from '../shared/domain/battles';
import { redisNow } from '../shared/domain/clock';
import { announceBattle, type BattleBroadcast } from '../shared/domain/battle-events';
import {
  BATTLE_SWEEP_SCHEDULER_ID,
  QUEUES,
  battleJob,
  workerOptions,
  type BattleJob,
  type Queues,
} from '../shared/domain/queues';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';
import { roomEmitter } from '../shared/redis/socket-io-adapter';

/**
 * Battle timers: ends battles at endsAt and expires invitations, whatever happened to the process that scheduled
 * them. Rooms are reached through the room emitter (this process owns no sockets).
 */

/** Closes one battle if it is due at `now` and announces it when this call closed it. */
async function closeAndAnnounce(
  deps: Deps,
  broadcast: BattleBroadcast,
  battleId: string,
  now: number,
): Promise<Battle> {
  const { battle, changed } = await closeBattle(deps, battleId, now);
  if (changed) announceBattle(broadcast, 'battle:ended', battle);
  return battle;
}

/**
 * Runs one job at `now`, Redis's clock unless given (tests pass their own `now` to drive the end without waiting).
 * Returns `retryAt` when the job came too early: the job is delayed again until then.
 */
export async function runBattleJob(
  deps: Deps,
  broadcast: BattleBroadcast,
  job: BattleJob,
  given?: number,
): Promise<{ retryAt: number | null }> {
  const now = given ?? (await redisNow(deps));
  if (job.kind === 'sweep') {
    for (const id of await dueBattleIds(deps, now)) await closeAndAnnounce(deps, broadcast, id, now);
    return { retryAt: null };
  }
  const battle = await closeAndAnnounce(deps, broadcast, job.battleId, now);
  // An expiry job of a battle accepted since has nothing left to do: the end has its own job.
  const mine = battle.status === (job.kind === 'end' ? 'active' : 'pending');
  const due = dueAt(battle);
  return { retryAt: mine && due !== null && due > now ? due : null };
}

export function emitterBroadcast(deps: Deps): BattleBroadcast {
  const emitter = roomEmitter(deps.redis, deps.keys.socketChannel);
  return (rooms, event, payload) => emitter.emit(rooms, event, payload);
}

export async function startBattleWorker(deps: Deps, queues: Queues): Promise<() => Promise<void>> {
  const broadcast = emitterBroadcast(deps);
  const connection = createBullConnection(deps.config);
  const worker = new Worker(
    QUEUES.battles,
    async (job: Job, token?: string) => {
      const data = battleJob.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError(`malformed battle job ${job.name}`);
      const { retryAt } = await runBattleJob(deps, broadcast, data.data);
      if (retryAt !== null) {
        await job.moveToDelayed(retryAt, token);
        throw new DelayedError();
      }
    },
    workerOptions(deps, connection),
  );
  worker.on('error', (err) => deps.log.warn({ err }, 'battle worker connection error'));
  worker.on('failed', (job, err) => deps.log.warn({ err, jobId: job?.id }, 'battle job failed'));
  // The safety net: a battle whose timer was never added is still settled within one sweep interval.
  await queues.get(QUEUES.battles).upsertJobScheduler(
    BATTLE_SWEEP_SCHEDULER_ID,
    { every: deps.config.sweepEveryMs },
    {
      name: 'sweep',
      data: { kind: 'sweep' } satisfies BattleJob,
      opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
    },
  );
  return async () => {
    await worker.close(); // lets running jobs finish
    await quitWhenReady(connection);
  };
}
