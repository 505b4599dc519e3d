import { z } from 'zod';
import { isoDate } from './common';

export interface User {
  id: string;
  displayName: string;
  birthDate: string;
  verified: boolean;
  followers: number;
  /** An operator suspended this user: no recharges, gifts, going live, battles or payouts; reading still works. */
  suspended: boolean;
}

/** C0 and C1 controls and DEL: invisible, and NUL truncates names in some clients. */
const CONTROL = /\p{Cc}/u;
/** Bidirectional embeddings, overrides and isolates: they reorder the text that follows (U+202A..E, U+2066..9). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * The one display-name rule (contract v1.1), used by every route that takes a name: 1..40 characters (code points)
 * after trimming, with nothing that could make one name pass for another on a leaderboard.
 */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((s) => !CONTROL.test(s), 'must not contain control characters')
  .refine((s) => !BIDI.test(s), 'must not contain bidirectional override or isolate characters');

export const createUserBody = z
  .object({
    displayName,
    birthDate: isoDate,
    verified: z.boolean().optional(),
    followers: z.number().int().min(0).max(1e12).optional(),
  })
  .strict();

export const patchUserBody = z
  .object({
    verified: z.boolean().optional(),
    followers: z.number().int().min(0).max(1e12).optional(),
    dailySpendLimitCoins: z.number().int().min(0).max(1e12).nullable().optional(),
  })
  .strict();

export const devLoginBody = z.object({ displayName }).strict();

export const suspendBody = z.object({ reason: z.string().trim().min(1).max(200) }).strict();
