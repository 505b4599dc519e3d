import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Deps } from './deps';

export interface InviteTicket {
  /** True when the challenger or the target is over their limit: the invitation must be refused RATE_LIMITED. */
  throttled: boolean;
  /** Gives back what was counted: the invitation was not sent (refused for any reason). */
  refund(): Promise<void>;
}

/**
 * Battle invitations per challenger and per target creator (BATTLE_INVITES_PER_CHALLENGER / _PER_TARGET per
 * BATTLE_INVITE_WINDOW_SEC; 0 = no limit), on Redis so every server process shares them. Only invitations that
 * were sent count: a refused one is refunded, so a creator's own mistakes (a busy opponent) do not use them up.
 * The verdict goes into the invite script, which applies it after its own checks: RATE_LIMITED stays the last of
 * the contract's errors.
 */
export function createInviteThrottle(deps: Deps) {
  const limiter = (name: string, points: number) =>
    points > 0
      ? new RateLimiterRedis({
          storeClient: deps.redis,
          keyPrefix: `${deps.keys.rateLimit}:invites:${name}`,
          points,
          duration: deps.config.battleInviteWindowSec,
        })
      : null;
  const byChallenger = limiter('from', deps.config.battleInvitesPerChallenger);
  const byTarget = limiter('to', deps.config.battleInvitesPerTarget);

  return async function take(challengerId: string, targetId: string | null): Promise<InviteTicket> {
    const spends: Array<[RateLimiterRedis, string]> = [];
    if (byChallenger) spends.push([byChallenger, challengerId]);
    if (byTarget && targetId) spends.push([byTarget, targetId]);
    const outcomes = await Promise.allSettled(spends.map(([l, key]) => l.consume(key, 1)));
    let throttled = false;
    for (const o of outcomes) {
      if (o.status === 'fulfilled') continue;
      if (!(o.reason instanceof RateLimiterRes)) throw o.reason;
      throttled = true;
    }
    return {
      throttled,
      async refund() {
        await Promise.all(spends.map(([l, key]) => l.reward(key, 1))).catch(() => undefined);
      },
    };
  };
}
