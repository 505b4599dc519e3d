import { loadConfig } from '../../shared/config';
import { expireLegacyPeriodBoards } from '../../shared/domain/leaderboard-retention';
import { bootDeps } from '../../shared/runtime/boot';

/**
 * `npm run leaderboards:expire`: once, after upgrading from a version whose day and week boards never expired, gives
 * every creator period board its expiry (shared/domain/leaderboard-retention.ts). Connects as `npm run reconcile`.
 */
async function main(): Promise<number> {
  const config = loadConfig({ LOG_LEVEL: 'error', ...process.env });
  const redisUrl =
    config.redisUrl ?? (config.redisClusterNodes ? undefined : `redis://127.0.0.1:${config.localRedisPort}`);
  const deps = await bootDeps('leaderboards-expire', { ...config, redisUrl });
  try {
    const r = await expireLegacyPeriodBoards(deps);
    console.log(`period boards given their expiry: ${r.fixed}; past their retention, removed: ${r.removed}`);
    return 0;
  } finally {
    await deps.redis.quit();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`leaderboards:expire: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
