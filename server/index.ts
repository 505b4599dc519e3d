import { createApp } from './app';
import { bootDeps, onShutdown } from '../shared/runtime/boot';

/** Server entry point: boot only. */
async function main() {
  const deps = await bootDeps('giftwire-server');
  const giftwire = createApp(deps);
  await new Promise<void>((resolve) => giftwire.httpServer.listen(deps.config.port, deps.config.host, resolve));
  deps.log.info({ port: deps.config.port }, `Giftwire server listening on http://localhost:${deps.config.port}`);
  onShutdown(deps.log, async () => {
    await giftwire.close();
    await deps.redis.quit();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
