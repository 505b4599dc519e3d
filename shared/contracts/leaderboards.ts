import { z } from 'zod';
import { uuid } from './common';

export const leaderboardLimit = z.coerce.number().int().min(1).max(100).default(10);

/** An opaque page cursor (docs/API.md, "Leaderboards": the last row's place, base64url). */
export const leaderboardCursor = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

/** Paging shared by every leaderboard: `cursor` continues after a page, `around` centres a page on a user. */
const paging = {
  limit: leaderboardLimit,
  cursor: leaderboardCursor.optional(),
};

export const streamLeaderboardQuery = z.object({ ...paging, around: uuid.optional() });

export const leaderboardPeriod = z.enum(['hour', 'day', 'week', 'month', 'all']);
export type LeaderboardPeriod = z.infer<typeof leaderboardPeriod>;

/** A moment (ms since the epoch) that picks the period containing it. */
export const leaderboardAt = z.coerce.number().int().min(0).max(8_640_000_000_000_000);

export const creatorLeaderboardQuery = z.object({
  period: leaderboardPeriod.default('all'),
  at: leaderboardAt.optional(),
  ...paging,
  around: uuid.optional(),
});

export const creatorRankingsQuery = z.object({
  period: leaderboardPeriod.default('all'),
  at: leaderboardAt.optional(),
  ...paging,
});

/** The period an answer covers: `start` inclusive, `end` exclusive, both null for all time. */
export interface LeaderboardPeriodInfo {
  name: LeaderboardPeriod;
  start: number | null;
  end: number | null;
}

/** A row of the creator rankings (GET /v1/leaderboards/creators). */
export interface CreatorRankItem {
  rank: number;
  creatorId: string;
  displayName: string;
  coins: number;
}
