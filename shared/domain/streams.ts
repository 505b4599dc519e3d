import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Stream } from '../contracts/models';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { assertEligibleCreator, getUser } from './users';

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

/** Goes live: adult, eligible (verified or enough followers), one live stream at a time. */
export async function startStream(
  deps: Deps,
  creatorId: string,
  title: string,
  now = Date.now(),
): Promise<StreamRecord> {
  assertEligibleCreator(deps, await getUser(deps, creatorId));
  const id = uuidv4();
  const k = deps.keys;
  interpret(
    await script(deps.redis, 'streamStart')(
      k.stream(id),
      k.creatorLive(creatorId),
      k.liveStreams,
      id,
      creatorId,
      title,
      now,
    ),
  );
  return getStream(deps, id);
}

/**
 * Ends a live stream (its creator only). Returns the stream and the id of a battle it was in, which the caller
 * must end as a forfeit.
 */
export async function endStream(
  deps: Deps,
  streamId: string,
  userId: string,
  now = Date.now(),
): Promise<{ stream: StreamRecord; battleId: string | null }> {
  const s = await getStream(deps, streamId);
  if (s.creatorId !== userId) throw new GiftwireError('FORBIDDEN', "Only the stream's creator may end it.");
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'streamEnd')(k.stream(streamId), k.creatorLive(s.creatorId), k.liveStreams, streamId, now),
  );
  const battleId = (r.payload[0] as string) || null;
  return { stream: await getStream(deps, streamId), battleId };
}
