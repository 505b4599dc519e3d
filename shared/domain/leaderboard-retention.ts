import { globLiteral, scanKeys } from '../redis/scan';
import { redisNow } from './clock';
import type { Deps } from './deps';
import { periodNumbered } from './leaderboard-periods';

/**
 * A one-off for data written before period boards expired (`npm run leaderboards:expire`): every creator period
 * board, and its members hash, with no expiry gets the one its period has (docs/ARCHITECTURE.md, "Leaderboards");
 * one already past its retention goes at once. Boards written since carry their expiry from the step that wrote
 * them; running this again changes nothing.
 */
const PERIOD_KEY = /:lb:(hour|day|week|month):(\d+)(?::m)?$/;

export async function expireLegacyPeriodBoards(deps: Deps): Promise<{ fixed: number; removed: number }> {
  const now = await redisNow(deps);
  let fixed = 0;
  let removed = 0;
  const pattern = `${globLiteral(deps.keys.prefix)}:{c:*}:lb:*`;
  for await (const keys of scanKeys(deps.redis, pattern)) {
    for (const key of keys) {
      const m = PERIOD_KEY.exec(key);
      if (!m) continue;
      if ((await deps.redis.pttl(key)) !== -1) continue;
      const p = periodNumbered(m[1] as 'hour' | 'day' | 'week' | 'month', Number(m[2]));
      await deps.redis.pexpireat(key, p.expiresAt!);
      if (p.expiresAt! <= now) removed += 1;
      else fixed += 1;
    }
  }
  return { fixed, removed };
}
