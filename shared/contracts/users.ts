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

export const displayName = z.string().trim().min(1).max(40);

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
