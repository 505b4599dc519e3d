import { Router } from 'express';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';

export function healthRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    try {
      await Promise.race([
        ctx.redis.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
      ]);
      res.json({ status: 'ok' });
    } catch {
      res
        .status(503)
        .json({ status: 'unavailable', error: { code: 'UNAVAILABLE', message: 'Redis is not reachable.' } });
    }
  });
  // Prometheus scrape endpoint; operator token required (scrapers support bearer tokens).
  r.get('/metrics', async (req, res) => {
    authAdmin(ctx, req);
    res.type(ctx.metrics.contentType).send(await ctx.metrics.metrics());
  });
  return r;
}
