import type { NextFunction, Request, Response } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { bearer, isAdminToken, verifyUserToken } from '../../../shared/domain/auth';
import { getUser } from '../../../shared/domain/users';
import type { User } from '../../../shared/contracts/users';
import type { ServerContext } from '../../context';

declare module 'express-serve-static-core' {
  interface Request {
    /** The authenticated user (requireUser). */
    user?: User;
  }
}

/** Resolves the Bearer token to a live user record; a token for a deleted user is as good as forged. */
export function requireUser(ctx: ServerContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = bearer(req.headers.authorization);
    if (!token) throw new GiftwireError('UNAUTHORIZED', 'A Bearer token is required.');
    const claims = await verifyUserToken(ctx.config, token);
    const user = await getUser(ctx, claims.userId).catch(() => {
      throw new GiftwireError('UNAUTHORIZED', 'The token names no known user.');
    });
    req.user = user;
    next();
  };
}

export function requireAdmin(ctx: ServerContext) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const token = bearer(req.headers.authorization);
    if (!token || !isAdminToken(ctx.config, token)) throw new GiftwireError('UNAUTHORIZED', 'The operator token is required.');
    next();
  };
}

/** The authenticated user of a route behind requireUser. */
export function currentUser(req: Request): User {
  if (!req.user) throw new GiftwireError('UNAUTHORIZED');
  return req.user;
}
