import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GiftwireError } from '../../../shared/contracts/errors';
import { isAdminToken, verifyUserToken } from '../../../shared/domain/auth';
import type { Config } from '../../../shared/config';
import type { ServerContext } from '../../context';

/** Who asks: the operator (its token), a user (a token that verifies), or only an address. */
interface Caller {
  operator: boolean;
  userId: string | null;
  address: string;
}

interface Rule {
  name: string;
  /** What the limit counts by. */
  by: 'user' | 'address';
  points: (c: Config) => number;
  applies: (method: string, path: string, caller: Caller) => boolean;
}

const write = (m: string) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS';

/**
 * The REST limits (docs/SECURITY.md, "Floods"): each counts requests per window of RATE_LIMIT_WINDOW_SEC, per
 * user or per client address, in Redis so every server process shares it. The operator's own calls are not
 * limited (an operator token is trusted); calls to operator routes without it count per address, which bounds
 * guessing the token.
 */
const RULES: Rule[] = [
  { name: 'address', by: 'address', points: (c) => c.rateLimitPerAddress, applies: (_m, _p, c) => !c.operator },
  { name: 'user', by: 'user', points: (c) => c.rateLimitPerUser, applies: () => true },
  {
    name: 'dev-login',
    by: 'address',
    points: (c) => c.rateLimitDevLogin,
    applies: (m, p) => m === 'POST' && p === '/v1/dev/login',
  },
  {
    name: 'money',
    by: 'user',
    points: (c) => c.rateLimitMoney,
    applies: (m, p) => m === 'POST' && (p === '/v1/wallet/recharges' || p === '/v1/payouts'),
  },
  {
    name: 'overlay-key',
    by: 'user',
    points: (c) => c.rateLimitOverlayKey,
    applies: (m, p) => m === 'POST' && p === '/v1/overlay-key',
  },
  {
    name: 'battles',
    by: 'user',
    points: (c) => c.rateLimitBattles,
    applies: (m, p) => write(m) && p.startsWith('/v1/battles'),
  },
  {
    name: 'operator-failures',
    by: 'address',
    points: (c) => c.rateLimitOperatorFailures,
    applies: (_m, p, c) => !c.operator && (p.startsWith('/v1/admin/') || p === '/metrics'),
  },
];

async function identify(ctx: ServerContext, req: Request): Promise<Caller> {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization?.trim() ?? '');
  if (!m) return { operator: false, userId: null, address };
  if (isAdminToken(ctx.config, m[1]!)) return { operator: true, userId: null, address };
  const userId = await verifyUserToken(ctx.config, m[1]!).then(
    (claims) => claims.userId,
    () => null,
  );
  return { operator: false, userId, address };
}

/**
 * Answers 429 RATE_LIMITED with Retry-After (seconds) once a limit that covers the request is spent. A flood
 * guard: it runs when the request arrives, before the route reads it (see docs/API.md, "Rate limits").
 * Redis trouble lets the request through: the route itself then fails or succeeds on its own.
 */
export function restRateLimits(ctx: ServerContext): RequestHandler {
  const limiters = new Map(
    RULES.filter((r) => r.points(ctx.config) > 0).map((r) => [
      r,
      new RateLimiterRedis({
        storeClient: ctx.redis,
        keyPrefix: `${ctx.keys.rateLimit}:rest:${r.name}`,
        points: r.points(ctx.config),
        duration: ctx.config.rateLimitWindowSec,
      }),
    ]),
  );
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    if (!path.startsWith('/v1/') && path !== '/metrics') return next();
    void (async () => {
      const caller = await identify(ctx, req);
      const spends: Array<Promise<RateLimiterRes>> = [];
      for (const [rule, limiter] of limiters) {
        if (!rule.applies(req.method, path, caller)) continue;
        const key = rule.by === 'user' ? caller.userId : caller.address;
        if (key) spends.push(limiter.consume(key, 1));
      }
      const outcomes = await Promise.allSettled(spends);
      let retryMs: number | null = null;
      for (const o of outcomes) {
        if (o.status === 'fulfilled') continue;
        if (o.reason instanceof RateLimiterRes) retryMs = Math.max(retryMs ?? 0, o.reason.msBeforeNext);
        else ctx.log.warn({ err: o.reason }, 'rate limit not checked');
      }
      if (retryMs !== null) {
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryMs / 1000))));
        return next(new GiftwireError('RATE_LIMITED', 'Too many requests; retry after the Retry-After delay.'));
      }
      next();
    })().catch(next);
  };
}
