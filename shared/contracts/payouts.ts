import { z } from 'zod';

/**
 * A payout destination: the provider's account reference (the sandbox knows `acct_ok` and `acct_fail`), 1..100
 * characters, no control characters.
 */
export const payoutDestination = z
  .string()
  .min(1)
  .max(100)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');

export interface PayoutDestination {
  id: string;
  destination: string;
  /** ms: payouts may use it from then on (PAYOUT_DESTINATION_COOLDOWN_SEC after it was added). */
  usableAt: number;
}

export const createDestinationBody = z.object({ destination: payoutDestination }).strict();

export const DEFAULT_PAYOUT_DESTINATION = 'acct_ok';

export const createPayoutBody = z
  .object({
    diamonds: z.number().int().min(1).max(1e12),
    destination: payoutDestination.optional(),
  })
  .strict();
export type CreatePayoutBody = z.infer<typeof createPayoutBody>;

/** `?limit=&cursor=`; the cursor is opaque to clients (a sequence number). */
export const payoutsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'not a cursor from this API')
    .optional(),
});
