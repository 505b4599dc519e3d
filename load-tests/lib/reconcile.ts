import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { createRedis, quitWhenReady, type RedisTarget } from '../../shared/redis/client';
import { createKeys } from '../../shared/redis/keys';
import { reconcile } from '../../shared/domain/reconcile';
import type { Check } from './checks';

/**
 * The system-wide money reconciliation (shared/domain/reconcile.ts, the same code as `npm run reconcile`) over
 * the Giftwire under test, as one check: every invariant of every user, the outbox, and no stale hold.
 */
export async function reconcileCheck(target: {
  redis: Exclude<RedisTarget, string>;
  keyPrefix: string;
  env?: Record<string, string>;
}): Promise<Check> {
  const config = {
    ...loadConfig({ ...(target.env ?? {}), NODE_ENV: 'development', LOG_LEVEL: 'silent' }),
    ...target.redis,
    keyPrefix: target.keyPrefix,
  };
  const redis = createRedis(target.redis);
  try {
    const report = await reconcile({
      config,
      redis,
      keys: createKeys(target.keyPrefix),
      log: createLogger('silent', 'load'),
    });
    const busy = report.busyUsers.length;
    return {
      name: 'reconciliation: every money invariant holds system-wide',
      ok: report.ok && busy === 0,
      detail: report.ok
        ? `${report.users} users, ${report.giftsAudited} gifts audited, outbox ${report.outbox.entries}: no violation${busy ? `; ${busy} users kept changing and were not audited` : ''}`
        : `${report.violationCount} violation(s): ${report.violations
            .slice(0, 3)
            .map((v) => `${v.check}: ${v.message}`)
            .join('; ')}`,
    };
  } finally {
    await quitWhenReady(redis);
  }
}
