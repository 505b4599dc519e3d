import { BurstyRateLimiter, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Deps } from './deps';

export interface GiftRateLimiter {
  /** Counts one send for the user; true when it is over the limit. */
  limited(userId: string): Promise<boolean>;
}

/**
 * Per-user gift rate (rate-limiter-flexible on Redis, shared by every server process), one point per `gift:send`:
 * a BurstyRateLimiter of a 1-second window of GIFT_RATE_PER_SEC points, backed by a burst allowance of
 * (GIFT_BURST - GIFT_RATE_PER_SEC) points per GIFT_BURST_WINDOW_SEC that is drawn only when the first is empty.
 * So a user may send GIFT_BURST gifts at once, then GIFT_RATE_PER_SEC a second; over a long run the allowance adds
 * (GIFT_BURST - GIFT_RATE_PER_SEC) / GIFT_BURST_WINDOW_SEC a second (defaults: 100 at once, 20/s, +1.3/s).
 * Fixed windows, not a token bucket: at a window edge a user may get up to twice the per-second rate.
 */
export function createGiftRateLimiter(deps: Deps): GiftRateLimiter {
  const { giftRatePerSec, giftBurst, giftBurstWindowSec } = deps.config;
  const base = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${deps.keys.rateLimit}:gift`,
    points: giftRatePerSec,
    duration: 1,
  });
  const extra = giftBurst - giftRatePerSec;
  const limiter =
    extra > 0
      ? new BurstyRateLimiter(
          base,
          new RateLimiterRedis({
            storeClient: deps.redis,
            keyPrefix: `${deps.keys.rateLimit}:giftburst`,
            points: extra,
            duration: giftBurstWindowSec,
          }),
        )
      : base;
  return {
    async limited(userId) {
      try {
        await limiter.consume(userId, 1);
        return false;
      } catch (err) {
        if (err instanceof RateLimiterRes) return true;
        throw err;
      }
    },
  };
}
