import { z } from 'zod';
import { coinAmount, idempotencyKey } from './common';

/** The largest custom recharge, in coins (docs/API.md: 1..1,000,000). */
export const MAX_CUSTOM_COINS = 1_000_000;

const payment = z.object({ token: z.string().min(1).max(255) }).strict();

/**
 * `{ packageId, payment }` or `{ coins, payment }`: exactly one of packageId and coins. One strict object (rather
 * than a union) so a mistake is reported on the field that is wrong.
 */
export const rechargeBody = z
  .object({
    packageId: z.string().min(1).max(64).optional(),
    coins: coinAmount(MAX_CUSTOM_COINS).optional(),
    payment,
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.packageId === undefined) === (b.coins === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['packageId'], message: 'give exactly one of packageId or coins' });
    }
  });
export type RechargeBody = z.infer<typeof rechargeBody>;

/** The `Idempotency-Key` header: 1..255 characters, required. */
export const idempotencyKeyHeader = idempotencyKey;

/** A user may lower their own limit; `null` (no limit) would be a raise, refused unless there is no limit yet. */
export const walletLimitsBody = z
  .object({ dailySpendLimitCoins: z.number().int().min(0).max(1e12).nullable() })
  .strict();

/**
 * `?limit=&cursor=`; the cursor is opaque to clients (a transaction sequence number). Unknown query parameters
 * (cache busters) are ignored, as query strings usually are.
 */
export const transactionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'not a cursor from this API')
    .optional(),
});
