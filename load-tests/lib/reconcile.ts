import path from 'node:path';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { createRedis, quitWhenReady } from '../../shared/redis/client';
import { createKeys } from '../../shared/redis/keys';
import type { Deps } from '../../shared/domain/deps';
import type { Check } from './checks';

/**
 * The system-wide money reconciliation (shared/domain/reconcile.ts, the same code as `npm run reconcile`)
 * over the Giftwire under test, as one check. Returns null while that module does not exist.
 */
export async function reconcileCheck(target: { redisUrl: string; keyPrefix: string; env?: Record<string, string> }): Promise<Check | null> {
  const modulePath = path.join(__dirname, '..', '..', 'shared', 'domain', 'reconcile');
  if (!existsSync(`${modulePath}.ts`) && !existsSync(`${modulePath}.js`)) return null;
  // Loaded at run time so the simulator builds before the module lands; its shape is checked below.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modulePath) as { reconcile?: (deps: Deps) => Promise<unknown> };
  if (typeof mod.reconcile !== 'function') return { name: 'reconciliation', ok: false, detail: 'shared/domain/reconcile.ts exports no reconcile()' };
  const config = { ...loadConfig({ ...(target.env ?? {}), NODE_ENV: 'development', LOG_LEVEL: 'silent' }), redisUrl: target.redisUrl, keyPrefix: target.keyPrefix };
  const redis = createRedis(target.redisUrl);
  try {
    const report = (await mod.reconcile({ config, redis, keys: createKeys(target.keyPrefix), log: createLogger('silent', 'load') })) as {
      ok?: boolean;
      problems?: unknown[];
      violations?: unknown[];
    };
    const problems = report.problems ?? report.violations ?? [];
    const ok = report.ok ?? problems.length === 0;
    return {
      name: 'reconciliation: every money invariant holds system-wide',
      ok,
      detail: ok ? 'no violation' : `${problems.length} violation(s): ${problems.slice(0, 3).map((p) => JSON.stringify(p)).join('; ')}`,
    };
  } finally {
    await quitWhenReady(redis);
  }
}
