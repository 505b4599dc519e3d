import { loadConfig } from '../../shared/config';
import { formatReport, reconcile, type ReconcileExtension } from '../../shared/domain/reconcile';
import { bootDeps } from '../../shared/runtime/boot';
import { jobsReconcileExtension } from '../../shared/runtime/jobs-report';

/**
 * `npm run reconcile [-- --json]`: checks every money invariant on the live data, prints a short report, and exits
 * 1 on any violation (2 when it cannot run). With REDIS_CLUSTER_NODES it reads every master of that cluster; without
 * it or REDIS_URL, the local redis-server `npm start` runs.
 */

/** Checks other features contribute (the settlement workers add their failed-job count here). */
const extensions: ReconcileExtension[] = [jobsReconcileExtension];

async function main(): Promise<number> {
  const json = process.argv.includes('--json');
  const config = loadConfig({ LOG_LEVEL: 'error', ...process.env });
  const redisUrl =
    config.redisUrl ?? (config.redisClusterNodes ? undefined : `redis://127.0.0.1:${config.localRedisPort}`);
  const deps = await bootDeps('reconcile', { ...config, redisUrl });
  try {
    const report = await reconcile(deps, { extensions });
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await deps.redis.quit();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`reconcile: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
