import { bootDeps, onShutdown } from '../shared/runtime/boot';
import { startWorkers } from './start';

/** Workers entry point: boot only. Safe to run any number of times over. */
async function main() {
  const deps = await bootDeps('giftwire-workers');
  const starting = startWorkers(deps);
  // registered before the workers are up: a SIGTERM while starting waits for the start, then stops gracefully
  onShutdown(deps.log, async () => {
    const workers = await starting;
    await workers.close();
    await deps.redis.quit();
  });
  await starting;
  deps.log.info('Giftwire workers running');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
