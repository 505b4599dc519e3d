import { createServer, type Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import express, { type Express } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import { Server } from 'socket.io';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Deps } from '../shared/domain/deps';
import { attachRedisAdapter } from '../shared/redis/socket-io-adapter';
import { Queues } from '../shared/runtime/queues';
import type { GiftwireServer, ServerContext } from './context';
import { errorHandler, notFound } from './http/middleware/errors';
import { jsonBody } from './http/middleware/json-body';
import { restRateLimits } from './http/middleware/rate-limit';
import { healthRoutes, type Lifecycle } from './http/routes/health';
import { adminRoutes } from './http/routes/admin';
import { accountRoutes } from './http/routes/accounts';
import { devRoutes } from './http/routes/dev';
import { catalogRoutes } from './http/routes/catalog';
import { overlayRoutes } from './http/routes/overlay';
import { overlaySettingsRoutes } from './http/routes/overlay-settings';
import { streamRoutes } from './http/routes/streams';
import { battleRoutes } from './http/routes/battles';
import { battleUpdates } from './realtime/battle-updates';
import { walletRoutes } from './http/routes/wallet';
import { payoutRoutes } from './http/routes/payouts';
import { startSettlementRelay } from './settlement-relay';
import { liveStreamRoutes } from './http/routes/live-streams';
import { goalRoutes } from './http/routes/goals';
import { pageRoutes } from './http/routes/pages';
import { connectionCap, socketAuth } from './realtime/auth';
import { docsRoutes } from './http/routes/docs';
import { adminQueueRoutes } from './http/routes/admin-queues';
import { registerSocketMetrics } from './realtime/socket-metrics';
import { registerServerMetrics } from './metrics/index';
import { startRealtime } from './realtime/index';
import { leaderboardRoutes } from './http/routes/leaderboards';
import { announceThroughServer } from '../shared/usecases/announce';

export interface GiftwireApp {
  app: Express;
  httpServer: HttpServer;
  io: GiftwireServer;
  ctx: ServerContext;
  /** Shutdown, step one: /health/ready answers 503 from now on, so proxies route new clients elsewhere. */
  beginDrain(): void;
  /**
   * Stops accepting, closes every socket's connection (clients reconnect, to another process), runs every feature's
   * cleanup. Does not close `deps.redis` (the caller owns it).
   */
  close(): Promise<void>;
}

/** Builds the HTTP + Socket.io server without listening: index.ts listens, tests listen on port 0. */
export function createApp(deps: Deps): GiftwireApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  const httpServer = createServer(app);
  const lifecycle: Lifecycle = { draining: false };
  // Unset CORS_ORIGINS: no CORS headers at all, so browsers allow the same origin only.
  const corsOrigins = deps.config.corsOrigins;

  const cleanups: Array<() => Promise<void> | void> = [];
  const io: GiftwireServer = new Server(httpServer, {
    maxHttpBufferSize: deps.config.socketMaxPayloadBytes,
    ...(corsOrigins ? { cors: { origin: corsOrigins, credentials: false } } : {}),
  });
  cleanups.push(attachRedisAdapter(io, deps.redis, deps.keys.socketChannel));

  const metrics = new Registry();
  metrics.setDefaultLabels({ service: 'giftwire-server' });
  collectDefaultMetrics({ register: metrics });

  const queues = new Queues(deps);
  cleanups.push(() => queues.close());
  const ctx: ServerContext = {
    ...deps,
    io,
    metrics,
    events: new EventEmitter(),
    queues,
    announce: announceThroughServer(io),
    onClose: (fn) => cleanups.push(fn),
  };
  startSettlementRelay(ctx);
  registerSocketMetrics(ctx);
  registerServerMetrics(ctx);

  const httpLogger = pinoHttp({
    logger: deps.log,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url?.startsWith('/health') === true },
  });
  app.use(httpLogger);
  // The pages set their own, stricter Content-Security-Policy over helmet's default.
  app.use(helmet());
  if (corsOrigins) app.use(cors({ origin: corsOrigins, credentials: false }));
  app.use(restRateLimits(ctx));
  app.use(jsonBody());

  app.use(healthRoutes(ctx, lifecycle));
  app.use(catalogRoutes());
  app.use(adminRoutes(ctx));
  app.use(adminQueueRoutes(ctx));
  app.use(accountRoutes(ctx));
  app.use(overlayRoutes(ctx));
  app.use(overlaySettingsRoutes(ctx));
  app.use(streamRoutes(ctx));
  app.use(battleRoutes(ctx));
  app.use(leaderboardRoutes(ctx));
  app.use(walletRoutes(ctx));
  app.use(payoutRoutes(ctx));
  if (deps.config.env !== 'production') app.use(devRoutes(ctx));
  app.use(liveStreamRoutes(ctx));
  app.use(goalRoutes(ctx)); // live experience (#17)
  app.use(pageRoutes(ctx));
  app.use(docsRoutes());

  app.use(notFound);
  app.use(errorHandler(deps.log));

  io.use(socketAuth(ctx));
  io.use(connectionCap(ctx, app.get('trust proxy fn')));
  const realtime = startRealtime(ctx);
  battleUpdates(ctx);

  return {
    app,
    httpServer,
    io,
    ctx,
    beginDrain() {
      lifecycle.draining = true;
    },
    async close() {
      lifecycle.draining = true;
      // gifts accepted in the last tick still reach watchers on other processes
      realtime.flushFrames();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}
