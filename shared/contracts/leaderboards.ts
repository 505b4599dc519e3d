import { z } from 'zod';

export const leaderboardLimit = z.coerce.number().int().min(1).max(100).default(10);

export const streamLeaderboardQuery = z.object({ limit: leaderboardLimit });

export const leaderboardPeriod = z.enum(['day', 'week', 'all']);
export type LeaderboardPeriod = z.infer<typeof leaderboardPeriod>;

export const creatorLeaderboardQuery = z.object({ period: leaderboardPeriod.default('all'), limit: leaderboardLimit });
