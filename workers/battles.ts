import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Deps } from '../shared/domain/deps';
import { dueAt, dueBattleIds } from '../shared/domain/battles';
import { redisNow } from '../shared/domain/clock';
import {
  BATTLE_SWEEP_SCHEDULER_ID,
  QUEUES,
  battleJob,
  workerOptions,
  type BattleJob,
  type Queues,
} from '../shared/runtime/queues';
import { createBullConnection, quitWhenReady } from '../shared/redis/client';
import { announceThroughEmitter } from '../shared/usecases/announce';
import { closeDueBattle } from '../shared/usecases/battles';
import type { AnnouncingDeps } from '../shared/usecases/context';

/**
 * Battle timers: ends battles at endsAt and expires invitations, whatever happened to the process that scheduled
 * them. Rooms are reached through the room emitter (this process owns no sockets).
 */

/**
 * Runs one job at `now`, Redis's clock unless given (tests pass their own `now` to drive the end without waiting).
 * Returns `retryAt` when the job came too early: the job is delayed again until then.
 */
export async function runBattleJob(
  deps: AnnouncingDeps,
  job: BattleJob,
  given?: number,
): Promise<{ retryAt: number | null }> {
  const now = given ?? (await redisNow(deps));
  if (job.kind === 'sweep') {
    for (const id of await dueBattleIds(deps, now)) await closeDueBattle(deps, id, now);
    return { retryAt: null };
  }
  const battle = await closeDueBattle(deps, job.battleId, now);
  // An expiry job of a battle accepted since has nothing left to do: the end has its own job.
  const mine = battle.status === (job.kind === 'end' ? 'active' : 'pending');
  const due = dueAt(battle);
  return { retryAt: mine && due !== null && due > now ? due : null };
}

/** The worker's deps: rooms reached through the Redis emitter. */
export function announcingDeps(deps: Deps): AnnouncingDeps {
  return { ...deps, announce: announceThroughEmitter(deps) };
}

export async function startBattleWorker(deps: Deps, queues: Queues): Promise<() => Promise<void>> {
  const announcing = announcingDeps(deps);
  const connection = createBullConnection(deps.config);
  const worker = new Worker(
    QUEUES.battles,
    async (job: Job, token?: string) => {
      const data = battleJob.safeParse(job.data);
      if (!data.success) throw new UnrecoverableError(`malformed battle job ${job.name}`);
      const { retryAt } = await runBattleJob(announcing, data.data);
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
