import type { Deps } from './deps';

/**
 * Viewer counts across server processes. Each process writes how many of its sockets are in a stream's room
 * (`viewers:<sid>` field processId) and beats its heartbeat into `processes`; a count is the sum over processes
 * whose heartbeat is fresh, so a killed process stops counting within a few beats without anyone cleaning up.
 */
const VIEWERS_TTL_MS = 86_400_000;
const STALE_BEATS = 3;

export async function setLocalViewers(deps: Deps, processId: string, streamId: string, sockets: number): Promise<void> {
  const key = deps.keys.viewers(streamId);
  if (sockets > 0) await deps.redis.multi().hset(key, processId, sockets).pexpire(key, VIEWERS_TTL_MS).exec();
  else await deps.redis.hdel(key, processId);
}

export async function beat(deps: Deps, processId: string, now = Date.now()): Promise<void> {
  const staleBefore = now - STALE_BEATS * deps.config.processHeartbeatMs;
  // Forget long-dead processes so the set stays small.
  await deps.redis
    .multi()
    .zadd(deps.keys.processes, now, processId)
    .zremrangebyscore(deps.keys.processes, '-inf', staleBefore - 10 * deps.config.processHeartbeatMs)
    .exec();
}

/** Removes a process at shutdown: its sockets stop counting at once. */
export async function forgetProcess(deps: Deps, processId: string, streamIds: Iterable<string>): Promise<void> {
  // each stream's room is its own owner: one command per key, not one transaction
  await deps.redis.zrem(deps.keys.processes, processId);
  await Promise.all([...streamIds].map((sid) => deps.redis.hdel(deps.keys.viewers(sid), processId)));
}

export async function viewerCount(deps: Deps, streamId: string, now = Date.now()): Promise<number> {
  const since = now - STALE_BEATS * deps.config.processHeartbeatMs;
  const [perProcess, fresh] = await Promise.all([
    deps.redis.hgetall(deps.keys.viewers(streamId)),
    deps.redis.zrangebyscore(deps.keys.processes, since, '+inf'),
  ]);
  const alive = new Set(fresh);
  let total = 0;
  for (const [pid, n] of Object.entries(perProcess)) if (alive.has(pid)) total += Number(n);
  return total;
}
