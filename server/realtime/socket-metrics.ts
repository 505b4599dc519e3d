import { Gauge } from 'prom-client';
import type { ServerContext } from '../context';

/** Connected sockets of this server process, read at scrape time (load tests and dashboards watch it). */
export function registerSocketMetrics(ctx: ServerContext): void {
  new Gauge({
    name: 'giftwire_sockets_connected',
    help: 'Socket.io connections open on this server process.',
    registers: [ctx.metrics],
    collect() {
      this.set(ctx.io.engine.clientsCount);
    },
  });
}
