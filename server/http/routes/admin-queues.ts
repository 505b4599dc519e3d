import { Router, type NextFunction, type Request, type Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { parse } from '../../../shared/contracts/validate';
import { isAdminToken } from '../../../shared/domain/auth';
import { QUEUES, QUEUE_ROLES } from '../../../shared/runtime/queues';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';
import { queueName } from '../openapi/routes-ops';

export const BOARD_PATH = '/admin/queues';

/** The board's page asks Google Fonts for its typeface: the operator's browser stays on this server instead. */
const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
].join('; ');

/**
 * The operator's view of the job queues: Bull Board (the BullMQ community's dashboard) at /admin/queues, and a
 * small API for scripts: job counts per queue and "retry every failed job of a queue".
 *
 * The board is a browser page, and browsers send no Bearer header by themselves: it also takes HTTP Basic
 * authentication with the operator token as the password (any user name), which the browser asks for once and
 * then sends with the board's own API calls.
 */
export function adminQueueRoutes(ctx: ServerContext): Router {
  const r = Router();
  let board: Router | undefined;
  const openBoard = () => {
    if (board) return board;
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(BOARD_PATH);
    createBullBoard({
      queues: QUEUE_ROLES.map((role) => new BullMQAdapter(ctx.queues.get(QUEUES[role]), { displayName: role })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Giftwire jobs' } },
    });
    board = serverAdapter.getRouter() as Router;
    return board;
  };
  r.use(BOARD_PATH, operatorOnly(ctx), (req, res, next) => {
    res.set('Content-Security-Policy', BOARD_CSP);
    openBoard()(req, res, next);
  });

  r.get('/v1/admin/queues', async (req, res) => {
    authAdmin(ctx, req);
    const items = await Promise.all(
      QUEUE_ROLES.map(async (name) => {
        const c = await ctx.queues
          .get(QUEUES[name])
          .getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        return {
          name,
          waiting: c.waiting ?? 0,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        };
      }),
    );
    res.json({ items });
  });

  r.post('/v1/admin/queues/:queue/retry-failed', async (req, res) => {
    const name = parse(queueName, req.params.queue, 'queue');
    authAdmin(ctx, req);
    const queue = ctx.queues.get(QUEUES[name]);
    const retried = await queue.getFailedCount();
    // Jobs are idempotent, so a rerun is safe; BullMQ gives each one more run (attempts made are kept).
    await queue.retryJobs({ state: 'failed' });
    ctx.log.info({ queue: name, retried }, 'operator retried failed jobs');
    res.json({ queue: name, retried });
  });
  return r;
}

/** Bearer <ADMIN_TOKEN>, or Basic with ADMIN_TOKEN as the password; else 401 with a Basic challenge. */
function operatorOnly(ctx: ServerContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    let token: string | undefined;
    if (scheme === 'Bearer') token = value;
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (token && isAdminToken(ctx.config, token)) return next();
    res.set('WWW-Authenticate', 'Basic realm="Giftwire operator", charset="UTF-8"');
    next(new GiftwireError('UNAUTHORIZED', 'The operator token is required.'));
  };
}
