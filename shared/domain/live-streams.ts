import { GiftwireError } from '../contracts/errors';
import type { Page } from '../contracts/common';
import type { Stream } from '../contracts/models';
import type { LiveStreamItem } from '../contracts/live-streams';
import type { Deps } from './deps';
import { findStream, publicStream } from './streams';

/*
 * Read-only views of live streams for the pages: the live-streams list and a creator's current live stream.
 * `streams:live` orders by startedAt; ZREVRANGE breaks ties by member, descending, so a cursor is
 * (startedAt, id) of the last item and the next page starts strictly after it in that order.
 */

interface Cursor {
  at: number;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at}:${c.id}`).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  const m = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(Buffer.from(s, 'base64url').toString());
  if (!m) throw new GiftwireError('VALIDATION_FAILED', 'cursor: not a cursor this API returned');
  return { at: Number(m[1]), id: m[2]! };
}

function pairs(flat: string[]): Cursor[] {
  const out: Cursor[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i]!, at: Number(flat[i + 1]) });
  return out;
}

/** Live streams, newest first, with their creator's display name and coins received so far. */
export async function pageLiveStreams(
  deps: Deps,
  q: { limit: number; cursor?: string },
): Promise<Page<LiveStreamItem>> {
  const key = deps.keys.liveStreams;
  let entries: Cursor[];
  if (!q.cursor) {
    entries = pairs(await deps.redis.zrevrangebyscore(key, '+inf', '-inf', 'WITHSCORES', 'LIMIT', 0, q.limit + 1));
  } else {
    const c = decodeCursor(q.cursor);
    const ties = (await deps.redis.zrangebyscore(key, c.at, c.at))
      .filter((id) => id < c.id)
      .sort()
      .reverse();
    const older = pairs(
      await deps.redis.zrevrangebyscore(key, `(${c.at}`, '-inf', 'WITHSCORES', 'LIMIT', 0, q.limit + 1),
    );
    entries = [...ties.map((id) => ({ id, at: c.at })), ...older];
  }
  const page = entries.slice(0, q.limit);
  const more = entries.length > q.limit;

  const records = await Promise.all(page.map((e) => findStream(deps, e.id)));
  const live = records.filter((s): s is NonNullable<typeof s> => s !== null && s.status === 'live');
  // each creator in their own shard: one command each (auto-pipelined), not one pipeline
  const names = await Promise.all(live.map((s) => deps.redis.hget(deps.keys.user(s.creatorId), 'displayName')));
  const items = live.map((s, i) => ({
    stream: publicStream(s),
    creator: { id: s.creatorId, displayName: names[i] ?? '' },
    totalCoins: s.totalCoins,
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(last) : null };
}

/** The creator's live stream, or null. */
export async function currentLiveStream(deps: Deps, creatorId: string): Promise<Stream | null> {
  const id = await deps.redis.get(deps.keys.creatorLive(creatorId));
  const s = id ? await findStream(deps, id) : null;
  return s && s.status === 'live' ? publicStream(s) : null;
}
