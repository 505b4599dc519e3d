import type { Page } from '../contracts/common';
import { GiftwireError } from '../contracts/errors';
import type { CreatorRankItem, LeaderboardPeriod, LeaderboardPeriodInfo } from '../contracts/leaderboards';
import type { LeaderboardItem } from '../contracts/models';
import { script } from '../redis/scripts';
import { redisNow } from './clock';
import type { Deps } from './deps';
import { creatorBoardKey, periodAt, periodTag, unreadable, type Period } from './leaderboard-periods';
import { findUser, getUsers } from './users';
import { getStream } from './streams';

/**
 * Reads of the exact leaderboards written by lua/lib/leaderboard.lua (docs/ARCHITECTURE.md, "Leaderboards"):
 * members `<15-digit (MAX - coins)>:<15-digit seq>:<id>`, all scored 0, so ZRANGE 0..N-1 is the top N with
 * ties to whoever reached the score first.
 */
const LB_MAX = 999_999_999_999_999;
const MEMBER = /^(\d{15}):(\d{15}):(.+)$/;

export interface BoardEntry {
  userId: string;
  coins: number;
  /** The board owner's counter when the user reached this score (the tie-break). */
  seq: number;
}

export function decodeMember(member: string): BoardEntry {
  const m = MEMBER.exec(member);
  if (!m) throw new Error(`malformed leaderboard member: ${member}`);
  return { coins: LB_MAX - Number(m[1]), seq: Number(m[2]), userId: m[3]! };
}

/** The top `limit` entries of a board, ranked from 1, with display names joined at read time. */
export async function readBoard(deps: Deps, board: string, limit: number): Promise<LeaderboardItem[]> {
  return (await readPage(deps, board, { mode: 'top', arg: '', limit })).items;
}

/** Which page of a board: the top, the rows after a cursor, or the rows around one user (docs/API.md). */
export interface PageQuery {
  limit: number;
  cursor?: string;
  around?: string;
}

/**
 * A cursor is the last row's member (its coins, when it reached them, its id), base64url: the next page starts
 * right after that place on the board, so rows that move meanwhile never shift the page (docs/API.md).
 */
function encodeCursor(member: string): string {
  return Buffer.from(member, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const member = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!MEMBER.test(member)) throw new GiftwireError('VALIDATION_FAILED', 'Unknown cursor.', { field: 'cursor' });
  return member;
}

interface RankedEntry extends BoardEntry {
  rank: number;
}

/** What lua/lb-page-2.lua is asked for; checked before anything is read (validation comes first). */
interface PageRead {
  mode: 'top' | 'after' | 'around';
  arg: string;
  limit: number;
}

function pageRead(q: PageQuery): PageRead {
  if (q.cursor !== undefined && q.around !== undefined) {
    throw new GiftwireError('VALIDATION_FAILED', 'Use cursor or around, not both.', { field: 'around' });
  }
  if (q.around !== undefined) return { mode: 'around', arg: q.around, limit: q.limit };
  if (q.cursor !== undefined) return { mode: 'after', arg: decodeCursor(q.cursor), limit: q.limit };
  return { mode: 'top', arg: '', limit: q.limit };
}

/** One page of a board's rows, ranked, in one script call. */
async function pageOf(deps: Deps, board: string, q: PageRead): Promise<Page<RankedEntry>> {
  const r = (await script(deps.redis, 'lbPage')(board, deps.keys.lbMembers(board), q.mode, q.arg, q.limit)) as [
    string,
    number,
    number,
    ...string[],
  ];
  const [, firstRank, more, ...members] = r;
  const items = members.map((m, i) => ({ ...decodeMember(m), rank: Number(firstRank) + i }));
  return { items, nextCursor: Number(more) === 1 ? encodeCursor(members[members.length - 1]!) : null };
}

/** A page of a board of users, with display names joined at read time. */
async function readPage(deps: Deps, board: string, q: PageRead): Promise<Page<LeaderboardItem>> {
  const page = await pageOf(deps, board, q);
  const displayName = await displayNames(
    deps,
    page.items.map((e) => e.userId),
  );
  return {
    items: page.items.map((e) => ({
      rank: e.rank,
      userId: e.userId,
      displayName: displayName(e.userId),
      coins: e.coins,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Display names joined at read time (a board keeps ids only): '' for an id with no user. */
async function displayNames(deps: Deps, ids: string[]): Promise<(id: string) => string> {
  const users = await getUsers(deps, ids);
  return (id) => users.get(id)?.displayName ?? '';
}

/** A stream's gifters (the stream must exist). */
export async function streamLeaderboard(deps: Deps, streamId: string, q: PageQuery): Promise<Page<LeaderboardItem>> {
  const read = pageRead(q);
  await getStream(deps, streamId);
  return readPage(deps, deps.keys.lbStream(streamId), read);
}

/**
 * The period named `name` that contains `at` (default: now by Redis's clock, the clock that filed each gift under
 * its period). A period that has not started or whose retention has passed is VALIDATION_FAILED (docs/API.md).
 */
async function readablePeriod(deps: Deps, name: LeaderboardPeriod, at: number | undefined): Promise<Period> {
  const now = await redisNow(deps);
  const p = periodAt(name, at ?? now);
  const why = unreadable(p, at ?? now, now);
  if (why === 'future') throw new GiftwireError('VALIDATION_FAILED', 'That period has not started.', { field: 'at' });
  if (why === 'expired') {
    throw new GiftwireError('VALIDATION_FAILED', 'That period is past its retention.', { field: 'at' });
  }
  return p;
}

export function periodInfo(p: Period): LeaderboardPeriodInfo {
  return { name: p.name, start: p.start, end: p.end };
}

/** A creator's gifters across their streams, for the hour, day, week, month or all time that contains `at`. */
export async function creatorLeaderboard(
  deps: Deps,
  creatorId: string,
  period: LeaderboardPeriod,
  q: PageQuery & { at?: number },
): Promise<Page<LeaderboardItem> & { period: LeaderboardPeriodInfo }> {
  const read = pageRead(q);
  const p = await readablePeriod(deps, period, q.at);
  if (!(await findUser(deps, creatorId))) throw new GiftwireError('NOT_FOUND', 'No such creator.');
  const page = await readPage(deps, creatorBoardKey(deps.keys, creatorId, p), read);
  return { items: page.items, period: periodInfo(p), nextCursor: page.nextCursor };
}

/** Creators ranked by the coins of the settled gifts they received in a period (creator-rankings.ts). */
export async function creatorRankings(
  deps: Deps,
  period: LeaderboardPeriod,
  q: Omit<PageQuery, 'around'> & { at?: number },
): Promise<Page<CreatorRankItem> & { period: LeaderboardPeriodInfo }> {
  const read = pageRead(q);
  const p = await readablePeriod(deps, period, q.at);
  const page = await readPage(deps, deps.keys.lbCreators(periodTag(p)), read);
  return {
    items: page.items.map(({ rank, userId, displayName, coins }) => ({ rank, creatorId: userId, displayName, coins })),
    period: periodInfo(p),
    nextCursor: page.nextCursor,
  };
}

/** A short, stable text of a board's top, to tell whether it changed. */
export function boardSignature(items: LeaderboardItem[]): string {
  return items.map((i) => `${i.userId}:${i.coins}`).join(',');
}
