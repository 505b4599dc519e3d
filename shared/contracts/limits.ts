/**
 * Contract limits that the browser pages check too. Kept apart from the zod schemas so a page imports a number,
 * not the validation library.
 */

/** The most gifts one `gift:send` may carry (`count`, 1 to this). */
export const MAX_GIFT_COUNT = 99;
