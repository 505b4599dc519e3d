import { z } from 'zod';
import { coinAmount } from './common';

/** POST /v1/streams/:id/goals (docs/API.md, "Goals"). */
export const createGoalBody = z
  .object({
    title: z.string().trim().min(1).max(60),
    targetCoins: coinAmount(1_000_000_000),
    giftId: z.string().min(1).max(64).optional(),
  })
  .strict();
