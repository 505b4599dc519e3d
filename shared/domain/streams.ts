import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Stream } from '../contracts/models';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { assertEligibleCreator, assertNotSuspended, getUser } from './users';

/** A stream record plus what the gift path and battles read from it. */
export interface StreamRecord extends Stream {
  totalCoins: number;
  giftCount: number;
  battleId: string | null;
}

function fromHash(h: Record<string, string>): StreamRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    creatorId: h.creatorId ?? '',
    title: h.title ?? '',
    status: h.status === 'live' ? 'live' : 'ended',
    startedAt: Number(h.startedAt),
    ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
    totalCoins: Number(h.totalCoins ?? 0),
    giftCount: Number(h.giftCount ?? 0),
    battleId: h.battleId ? h.battleId : null,
  };
}

/** The public Stream shape of the contract. */
export function publicStream(s: StreamRecord): Stream {
  return {
    id: s.id,
    creatorId: s.creatorId,
    title: s.title,
    status: s.status,
    startedAt: s.startedAt,
    ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}),
  };
}

export async function findStream(deps: Deps, id: string): Promise<StreamRecord | null> {
  return fromHash(await deps.redis.hgetall(deps.keys.stream(id)));
}

export async function getStream(deps: Deps, id: string): Promise<StreamRecord> {
  const s = await findStream(deps, id);
  if (!s) throw new GiftwireError('NOT_FOUND', 'No such stream.');
  return s;
}

/**
 * Goes live: adult, eligible (verified or enough followers), one live stream at a time. Three owners, in an order
 * that a crash at any point leaves safe: the creator's live pointer is claimed first (the one-at-a-time rule), then
 * the stream is created in its own slot, then listed. A pointer left naming a stream that never got created, or one
 * that has ended, is taken over by the next start.
 */
export async function startStream(deps: Deps, creatorId: string, title: string): Promise<StreamRecord> {
  const creator = await getUser(deps, creatorId);
  assertNotSuspended(creator);
  assertEligibleCreator(deps, creator);
  const id = uuidv4();
  const k = deps.keys;
  await claimLive(deps, creatorId, id);
  const r = interpret(await script(deps.redis, 'streamStart')(k.stream(id), id, creatorId, title));
  await deps.redis.zadd(k.liveStreams, Number(r.payload[0]), id);
  return getStream(deps, id);
}

async function claimLive(deps: Deps, creatorId: string, streamId: string): Promise<void> {
  const claim = (stale: string) =>
    script(deps.redis, 'creatorLiveClaim')(deps.keys.creatorLive(creatorId), 'claim', streamId, stale);
  const [status, current] = (await claim('')) as [string, string | undefined];
  if (status === 'OK') return;
  const other = await findStream(deps, current!);
  if (other?.status === 'live') throw new GiftwireError('CONFLICT', 'You already have a live stream.');
  // the pointer names an ended stream (a crash after its end) or none at all (a crash before its creation)
  interpret(await claim(current!));
}

/**
 * Ends a live stream (its creator only): the stream and its unended goal first (its slot), then the creator's live
 * pointer and the live list, each idempotent. Returns the stream, the id of a battle it was in, which the caller must
 * end as a forfeit, and the id of the goal that ended with it.
 */
export async function endStream(
  deps: Deps,
  streamId: string,
  userId: string,
): Promise<{ stream: StreamRecord; battleId: string | null; goalId: string | null }> {
  const s = await getStream(deps, streamId);
  if (s.creatorId !== userId) throw new GiftwireError('FORBIDDEN', "Only the stream's creator may end it.");
  const k = deps.keys;
  let goalId = (await deps.redis.hget(k.stream(streamId), 'goalId')) ?? '';
  let r = interpret(await script(deps.redis, 'streamEnd')(k.stream(streamId), k.goal(streamId, goalId), goalId));
  // a goal set or ended since we read it: read again (goals change at a creator's pace, not a gift's)
  for (let attempt = 0; r.status === 'STALE' && attempt < 5; attempt++) {
    goalId = (await deps.redis.hget(k.stream(streamId), 'goalId')) ?? '';
    r = interpret(await script(deps.redis, 'streamEnd')(k.stream(streamId), k.goal(streamId, goalId), goalId));
  }
  if (r.status === 'STALE') throw new GiftwireError('UNAVAILABLE', 'The stream kept changing; try again.');
  await script(deps.redis, 'creatorLiveClaim')(k.creatorLive(s.creatorId), 'release', streamId, '');
  await deps.redis.zrem(k.liveStreams, streamId);
  const battleId = (r.payload[0] as string) || null;
  return { stream: await getStream(deps, streamId), battleId, goalId: goalId || null };
}
