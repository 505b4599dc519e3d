import type { Deps } from './deps';

/**
 * Viewer counts across server processes. A stream's viewers are people: every distinct signed-in user watching it,
 * plus one per anonymous socket; the stream's creator (their own sockets) and overlays are not viewers. Each
 * process writes what it holds into `viewers:<sid>`: field `<processId>` = its anonymous sockets, and one field
 * `<processId>:u:<userId>` per signed-in viewer. Each process beats its heartbeat into `processes`; a count sums
 * the fields of processes whose heartbeat is fresh, users counted once across processes, so a killed process stops
 * counting within a few beats without anyone cleaning up.
 */
const VIEWERS_TTL_MS = 86_400_000;
const STALE_BEATS = 3;
const USER_FIELD = ':u:';

/** What one process holds in one stream's watchers room. */
export interface LocalViewers {
  anonymous: number;
  users: Set<string>;
}

/**
 * Writes this process's viewers of a stream; `before` is what it wrote last time (users no longer there go).
 * `rewrite` writes every current user again (after a failed write, when Redis may lack some).
 */
export async function setLocalViewers(
  deps: Deps,
  processId: string,
  streamId: string,
  now: LocalViewers,
  before: ReadonlySet<string> = new Set(),
  rewrite = false,
): Promise<void> {
  const key = deps.keys.viewers(streamId);
  const m = deps.redis.multi();
  if (now.anonymous > 0) m.hset(key, processId, now.anonymous);
  else m.hdel(key, processId);
  for (const u of before) if (!now.users.has(u)) m.hdel(key, processId + USER_FIELD + u);
  for (const u of now.users) if (rewrite || !before.has(u)) m.hset(key, processId + USER_FIELD + u, 1);
  await m.pexpire(key, VIEWERS_TTL_MS).exec();
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

/** Removes a process at shutdown: its sockets stop counting at once. `published`: stream id -> users it wrote. */
export async function forgetProcess(
  deps: Deps,
  processId: string,
  published: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  // each stream's room and the process index have their own owners (Redis Cluster slots): one command per key
  await deps.redis.zrem(deps.keys.processes, processId);
  await Promise.all(
    [...published].map(([sid, users]) =>
      deps.redis.hdel(deps.keys.viewers(sid), processId, ...[...users].map((u) => processId + USER_FIELD + u)),
    ),
  );
}

export async function viewerCount(deps: Deps, streamId: string, now = Date.now()): Promise<number> {
  const since = now - STALE_BEATS * deps.config.processHeartbeatMs;
  const [fields, fresh] = await Promise.all([
    deps.redis.hgetall(deps.keys.viewers(streamId)),
    deps.redis.zrangebyscore(deps.keys.processes, since, '+inf'),
  ]);
  const alive = new Set(fresh);
  let anonymous = 0;
  const users = new Set<string>();
  for (const [field, n] of Object.entries(fields)) {
    const at = field.indexOf(USER_FIELD);
    const pid = at < 0 ? field : field.slice(0, at);
    if (!alive.has(pid)) continue;
    if (at < 0) anonymous += Number(n);
    else users.add(field.slice(at + USER_FIELD.length));
  }
  return anonymous + users.size;
}
