import { createServer, type Server } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { bearer, isAdminToken } from '../shared/domain/auth';
import type { Deps } from '../shared/domain/deps';
import { registerOperationsMetrics } from '../shared/runtime/operations-metrics';
import { Queues } from '../shared/runtime/queues';
import { settlementRegistry } from './metrics-settlement';
import { webhooksRegistry } from './metrics-webhooks';

export interface WorkerMetrics {
  /** The port it listens on (0 when off). */
  port: number;
  close(): Promise<void>;
}

/**
 * A workers process's own Prometheus endpoint: `GET /metrics` on WORKER_METRICS_PORT with the operator token, as
 * the server's. It carries the process metrics, settlement lag, and the queue and outbox gauges. A port already
 * taken (a second workers process on one host) leaves that process without the endpoint rather than stopping it.
 */
export async function startWorkerMetrics(deps: Deps): Promise<WorkerMetrics> {
  if (deps.config.workerMetricsPort === 0) return { port: 0, close: async () => undefined };
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'giftwire-workers' });
  collectDefaultMetrics({ register: registry });
  const queues = new Queues(deps);
  registerOperationsMetrics(registry, deps, queues);

  const server: Server = createServer((req, res) => {
    const reply = (status: number, code: string, message: string) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message } }));
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return reply(404, 'NOT_FOUND', 'No such route.');
    let token: string | undefined;
    try {
      token = bearer(req.headers.authorization);
    } catch {
      token = undefined;
    }
    if (!token || !isAdminToken(deps.config, token)) {
      return reply(401, 'UNAUTHORIZED', 'The operator token is required.');
    }
    // two expositions one after the other (a merged registry would drop the default labels)
    Promise.all([registry.metrics(), settlementRegistry.metrics(), webhooksRegistry.metrics()])
      .then((texts) => res.writeHead(200, { 'content-type': registry.contentType }).end(texts.join('')))
      .catch((err: unknown) => {
        deps.log.warn({ err }, 'metrics scrape failed');
        reply(500, 'INTERNAL', 'Something went wrong on our side.');
      });
  });
  const port = await new Promise<number>((resolve) => {
    server.once('error', (err) => {
      deps.log.warn({ err, port: deps.config.workerMetricsPort }, 'worker metrics not served: port unavailable');
      resolve(0);
    });
    server.listen(deps.config.workerMetricsPort, deps.config.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  if (port) deps.log.info({ port }, 'worker metrics on /metrics');
  return {
    port,
    async close() {
      if (port) await new Promise<void>((resolve) => server.close(() => resolve()));
      await queues.close();
    },
  };
}
