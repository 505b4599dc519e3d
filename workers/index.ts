import cluster from 'node:cluster';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { runClusterPrimary } from '../shared/process-cluster';
import { bootDeps, onShutdown } from '../shared/domain/runtime';
import { startWorkers } from './start';
import { startWorkerMetrics } from './metrics';

/** Workers entry point: boot only. Safe to run any number of times over; WORKER_PROCESSES > 1 runs that many here. */
async function work() {
  const deps = await bootDeps('giftwire-workers');
  const starting = startWorkers(deps);
  const metrics = startWorkerMetrics(deps);
  // registered before the workers are up: a SIGTERM while starting waits for the start, then stops gracefully
  onShutdown(deps.log, async () => {
    const workers = await starting;
    await workers.close();
    await (await metrics).close();
    await deps.redis.quit();
  });
  await Promise.all([starting, metrics]);
  deps.log.info('Giftwire workers running');
}

function main(): Promise<void> {
  if (cluster.isPrimary) {
    const config = loadConfig();
    if (config.workerProcesses > 1) {
      runClusterPrimary({ count: config.workerProcesses, log: createLogger(config.logLevel, 'giftwire-workers') });
      return Promise.resolve();
    }
  }
  return work();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
