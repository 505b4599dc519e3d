import type { SendHandle } from 'node:child_process';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { setupWorker } from '@socket.io/sticky';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { runClusterPrimary } from '../shared/process-cluster';
import { createApp } from './app';
import { bootDeps, onShutdown } from '../shared/runtime/boot';
import { setupStickyPrimary } from './sticky-primary';

/**
 * Server entry point: boot only. SERVER_PROCESSES > 1 makes this process a cluster primary that owns PORT and
 * hands each connection to one of its server processes, keeping a Socket.io session on the process that holds
 * it (@socket.io/sticky: long-polling sends several requests per session); rooms span processes through the
 * Redis adapter.
 */
async function serve() {
  // A cluster primary hands connections over as soon as this process exists: hold them while it boots.
  const handedOver: Array<[unknown, SendHandle]> = [];
  const hold = (message: unknown, handle: SendHandle) => handedOver.push([message, handle]);
  if (cluster.isWorker) process.on('message', hold);

  const deps = await bootDeps('giftwire-server');
  const giftwire = createApp(deps);
  if (cluster.isWorker) {
    setupWorker(giftwire.io);
    process.off('message', hold);
    for (const [message, handle] of handedOver) process.emit('message', message, handle);
  } else {
    await new Promise<void>((resolve) => giftwire.httpServer.listen(deps.config.port, deps.config.host, resolve));
    deps.log.info({ port: deps.config.port }, `Giftwire server listening on http://localhost:${deps.config.port}`);
  }
  onShutdown(
    deps.log,
    async () => {
      // Ready turns 503 first and stays so long enough for a proxy's health check to notice; then the sockets are
      // closed (clients reconnect, elsewhere) and everything stops.
      giftwire.beginDrain();
      await sleep(deps.config.shutdownDrainMs);
      await giftwire.close();
      await deps.redis.quit();
    },
    deps.config.shutdownDrainMs + 10_000,
  );
}

async function primary(count: number) {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'giftwire-server');
  // sticky hands each connection's first bytes over IPC as a Buffer: only the advanced serialization keeps it one
  cluster.setupPrimary({ serialization: 'advanced' });
  const httpServer = createServer();
  setupStickyPrimary(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  log.info({ port: config.port, processes: count }, `Giftwire server listening on http://localhost:${config.port}`);
  runClusterPrimary({
    count,
    log,
    onStopped: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
  });
}

function main(): Promise<void> {
  if (cluster.isPrimary) {
    const count = loadConfig().serverProcesses;
    if (count > 1) return primary(count);
  }
  return serve();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
