import { z } from 'zod';

/**
 * Every id the API parses (path, query, body, event payload): a UUID in any letter case, handed on in its canonical
 * lower-case form, so `A1B2…` and `a1b2…` name the same stream, user or idempotency key (contract v1.1).
 */
export const uuid = z
  .string()
  .uuid()
  .transform((s) => s.toLowerCase());
/** Positive whole number of coins; 10^12 is far above any real balance and keeps Lua doubles exact. */
export const coinAmount = (max = 1_000_000) => z.number().int().min(1).max(max);
export const idempotencyKey = z.string().min(1).max(255);
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real date',
  );

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
