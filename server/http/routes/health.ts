import { Router, type Response } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { ensureScriptsLoaded } from '../../../shared/redis/scripts';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';

/** Whether this process is shutting down: set on SIGTERM, before anything else stops. */
export interface Lifecycle {
  draining: boolean;
}

const PROBE_TIMEOUT_MS = 1000;
const PROBE_TTL_MS = 60_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness answers while the process runs (restart it if not); readiness says whether to route traffic here:
 * Redis takes a real write (a PING passes even at maxmemory, where every write fails), the Lua scripts are loaded,
 * and the process is not shutting down.
 */
export function healthRoutes(ctx: ServerContext, lifecycle: Lifecycle): Router {
  const r = Router();

  const whyNotReady = async (): Promise<string | null> => {
    if (lifecycle.draining) return 'This server is shutting down.';
    try {
      await withTimeout(ctx.redis.set(ctx.keys.health, String(Date.now()), 'PX', PROBE_TTL_MS), 'a Redis write');
      await withTimeout(ensureScriptsLoaded(ctx.redis), 'loading the Lua scripts');
      return null;
    } catch (err) {
      ctx.log.warn({ err }, 'not ready');
      return `Redis does not accept writes: ${(err as Error).message}`;
    }
  };

  const ready = async (res: Response) => {
    const reason = await whyNotReady();
    if (reason === null) {
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
      return;
    }
    const err = new GiftwireError('UNAVAILABLE', reason);
    res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', error: err.toBody() });
  };

  r.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  r.get('/health/ready', (_req, res) => ready(res));
  r.get('/health', (_req, res) => ready(res));

  // Prometheus scrape endpoint; operator token required (scrapers support bearer tokens).
  r.get('/metrics', async (req, res) => {
    authAdmin(ctx, req);
    res.type(ctx.metrics.contentType).send(await ctx.metrics.metrics());
  });
  return r;
}
