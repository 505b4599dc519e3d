import type { LeaderboardPeriod } from '../contracts/leaderboards';
import { dayNumber, weekNumber, type Keys } from '../redis/keys';

/**
 * The periods of the creator boards and the creator rankings (API.md v1.1, "Leaderboards (additions)"): UTC hours,
 * UTC days, weeks from Monday 00:00 UTC (keys.ts weekNumber), UTC months, and all time. A period's boards expire
 * `RETENTION` after the period ends, so a past period stays readable that long and no board lives forever
 * (docs/ARCHITECTURE.md, "Leaderboards").
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** How long after its end a period stays readable: hours 48 h, days 35 d, weeks 10 w (months: 13 calendar months). */
const RETENTION_MS = { hour: 48 * HOUR_MS, day: 35 * DAY_MS, week: 70 * DAY_MS } as const;
const MONTH_RETENTION = 13;

export interface Period {
  name: LeaderboardPeriod;
  /** The period's number in keys (hours, days or weeks since the epoch, months as year * 12 + month); 0 for all. */
  n: number;
  /** First millisecond of the period (null for all). */
  start: number | null;
  /** First millisecond after it (null for all). */
  end: number | null;
  /** When its boards expire (ms since the epoch); null: never (all time). */
  expiresAt: number | null;
}

/** The tag of a period in the creator rankings' keys: `hour:<n>`, ..., `all`. */
export function periodTag(p: Period): string {
  return p.name === 'all' ? 'all' : `${p.name}:${p.n}`;
}

/** The number of the UTC hour of the moment `at` (ms): every period boundary is an hour boundary. */
export function hourNumber(at: number): number {
  return Math.floor(at / HOUR_MS);
}

/** The period named `name` that contains the moment `at` (ms). */
export function periodAt(name: LeaderboardPeriod, at: number): Period {
  switch (name) {
    case 'hour': {
      const n = hourNumber(at);
      return fixed(name, n, n * HOUR_MS, HOUR_MS, RETENTION_MS.hour);
    }
    case 'day': {
      const n = dayNumber(at);
      return fixed(name, n, n * DAY_MS, DAY_MS, RETENTION_MS.day);
    }
    case 'week': {
      const n = weekNumber(at);
      // weekNumber counts from Thursday 1970-01-01 shifted by 3 days: week n starts on day 7n - 3 (a Monday)
      return fixed(name, n, (7 * n - 3) * DAY_MS, 7 * DAY_MS, RETENTION_MS.week);
    }
    case 'month': {
      const d = new Date(at);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      const end = Date.UTC(y, m + 1, 1);
      return { name, n: y * 12 + m, start: Date.UTC(y, m, 1), end, expiresAt: Date.UTC(y, m + 1 + MONTH_RETENTION, 1) };
    }
    case 'all':
      return { name, n: 0, start: null, end: null, expiresAt: null };
  }
}

function fixed(name: LeaderboardPeriod, n: number, start: number, length: number, retention: number): Period {
  return { name, n, start, end: start + length, expiresAt: start + length + retention };
}

/** The periods a gift accepted at `at` counts in, from the shortest to all time. */
export function periodsOfGift(at: number): Period[] {
  return (['hour', 'day', 'week', 'month', 'all'] as const).map((name) => periodAt(name, at));
}

/**
 * Why the period of `at` cannot be read at `now`, or null when it can: it has not started yet (for all time: `at`
 * is in the future), or its retention has passed (its boards are gone, so an empty list would be a lie).
 */
export function unreadable(p: Period, at: number, now: number): 'future' | 'expired' | null {
  if ((p.start ?? at) > now) return 'future';
  if (p.expiresAt !== null && p.expiresAt <= now) return 'expired';
  return null;
}

/** A creator's board for a period. */
export function creatorBoardKey(keys: Keys, creatorId: string, p: Period): string {
  switch (p.name) {
    case 'hour':
      return keys.lbCreatorHour(creatorId, p.n);
    case 'day':
      return keys.lbCreatorDay(creatorId, p.n);
    case 'week':
      return keys.lbCreatorWeek(creatorId, p.n);
    case 'month':
      return keys.lbCreatorMonth(creatorId, p.n);
    case 'all':
      return keys.lbCreatorAll(creatorId);
  }
}

/** A creator's boards as creatorBoardsOfGift answers them (read-only: callers copy what they pass on). */
export interface CreatorBoards {
  readonly keys: readonly string[];
  readonly expiries: readonly number[];
}

/** Creators whose boards of the current hour are kept; past it the cache starts afresh (only costs a rebuild). */
const MAX_CACHED_CREATORS = 10_000;
const boardsCache = new WeakMap<Keys, Map<string, { hour: number; boards: CreatorBoards }>>();

/**
 * KEYS[2..11] and ARGV[4..7] of lua/gift-boards-12.lua and gift-boards-unapply-11.lua for a gift accepted at `at`:
 * each period's board and members hash, and when the four dated periods expire. Every period boundary (day, week,
 * month) is an hour boundary, so the answer only changes with the UTC hour: it is kept per creator for that hour
 * rather than rebuilt (five periods, ten key names) for every gift of a gift war.
 */
export function creatorBoardsOfGift(keys: Keys, creatorId: string, at: number): CreatorBoards {
  const hour = hourNumber(at);
  let byCreator = boardsCache.get(keys);
  if (!byCreator) boardsCache.set(keys, (byCreator = new Map()));
  const cached = byCreator.get(creatorId);
  if (cached?.hour === hour) return cached.boards;
  const periods = periodsOfGift(at);
  const boards: CreatorBoards = Object.freeze({
    keys: Object.freeze(
      periods.flatMap((p) => {
        const board = creatorBoardKey(keys, creatorId, p);
        return [board, keys.lbMembers(board)];
      }),
    ),
    expiries: Object.freeze(periods.filter((p) => p.expiresAt !== null).map((p) => p.expiresAt!)),
  });
  if (byCreator.size >= MAX_CACHED_CREATORS && !cached) byCreator.clear();
  byCreator.set(creatorId, { hour, boards });
  return boards;
}

/** The period named `name` with key number `n` (the inverse of Period.n). */
export function periodNumbered(name: Exclude<LeaderboardPeriod, 'all'>, n: number): Period {
  const start =
    name === 'hour'
      ? n * HOUR_MS
      : name === 'day'
        ? n * DAY_MS
        : name === 'week'
          ? (7 * n - 3) * DAY_MS
          : Date.UTC(Math.floor(n / 12), n % 12, 1);
  return periodAt(name, start);
}
