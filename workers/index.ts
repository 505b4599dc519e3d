import { bootDeps, onShutdown } from '../shared/domain/runtime';
import { startWorkers } from './start';

/** Workers entry point: boot only. Safe to run any number of times over. */
async function main() {
  const deps = await bootDeps('giftwire-workers');
  const workers = await startWorkers(deps);
  deps.log.info('Giftwire workers running');
  onShutdown(deps.log, async () => {
    await workers.close();
    await deps.redis.quit();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
