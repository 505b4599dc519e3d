import { GiftwireError } from '../contracts/errors';
import type { LeaderboardPeriod } from '../contracts/leaderboards';
import type { LeaderboardItem } from '../contracts/models';
import { dayNumber, weekNumber } from '../redis/keys';
import { redisNow } from './clock';
import type { Deps } from './deps';
import { findUser, getUsers } from './users';
import { getStream } from './streams';

/**
 * Reads of the exact leaderboards written by lua/lib/leaderboard.lua (docs/ARCHITECTURE.md, "Leaderboards"):
 * members `<15-digit (MAX - coins)>:<15-digit seq>:<userId>`, all scored 0, so ZRANGE 0..N-1 is the top N with
 * ties to whoever reached the score first.
 */
const LB_MAX = 999_999_999_999_999;

export interface BoardEntry {
  userId: string;
  coins: number;
  /** The board owner's counter when the user reached this score (the tie-break). */
  seq: number;
}

export function decodeMember(member: string): BoardEntry {
  const m = /^(\d{15}):(\d{15}):(.+)$/.exec(member);
  if (!m) throw new Error(`malformed leaderboard member: ${member}`);
  return { coins: LB_MAX - Number(m[1]), seq: Number(m[2]), userId: m[3]! };
}

/** The top `limit` entries of a board, ranked from 1, with display names joined at read time. */
export async function readBoard(deps: Deps, board: string, limit: number): Promise<LeaderboardItem[]> {
  const members = await deps.redis.zrange(board, 0, limit - 1);
  const entries = members.map(decodeMember);
  const users = await getUsers(
    deps,
    entries.map((e) => e.userId),
  );
  return entries.map((e, i) => ({
    rank: i + 1,
    userId: e.userId,
    displayName: users.get(e.userId)?.displayName ?? '',
    coins: e.coins,
  }));
}

/** A stream's top gifters (the stream must exist). */
export async function streamLeaderboard(deps: Deps, streamId: string, limit: number): Promise<LeaderboardItem[]> {
  await getStream(deps, streamId);
  return readBoard(deps, deps.keys.lbStream(streamId), limit);
}

export function creatorBoardKey(deps: Deps, creatorId: string, period: LeaderboardPeriod, now: number): string {
  if (period === 'day') return deps.keys.lbCreatorDay(creatorId, dayNumber(now));
  if (period === 'week') return deps.keys.lbCreatorWeek(creatorId, weekNumber(now));
  return deps.keys.lbCreatorAll(creatorId);
}

/**
 * A creator's top gifters across their streams, for the UTC day, week (from Monday) or all time that contains `now`
 * (default: now by Redis's clock, the clock that filed each gift under its day).
 */
export async function creatorLeaderboard(
  deps: Deps,
  creatorId: string,
  period: LeaderboardPeriod,
  limit: number,
  now?: number,
): Promise<LeaderboardItem[]> {
  if (!(await findUser(deps, creatorId))) throw new GiftwireError('NOT_FOUND', 'No such creator.');
  return readBoard(deps, creatorBoardKey(deps, creatorId, period, now ?? (await redisNow(deps))), limit);
}

/** A short, stable text of a board's top, to tell whether it changed. */
export function boardSignature(items: LeaderboardItem[]): string {
  return items.map((i) => `${i.userId}:${i.coins}`).join(',');
}
