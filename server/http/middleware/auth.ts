import type { Request } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { bearer, isAdminToken, verifyUserToken } from '../../../shared/domain/auth';
import { assertNotSuspended } from '../../../shared/domain/users';
import { accountOfToken } from '../../../shared/domain/accounts';
import type { User } from '../../../shared/contracts/users';
import type { ServerContext } from '../../context';

/*
 * Authentication is a call, not a middleware: the contract's error precedence puts validation (400) before
 * identity (401), so a handler parses its input first, then authenticates.
 */

/** The Bearer token's user; a token for an unknown user, or issued before a revocation, is as good as forged. */
export async function authUser(ctx: ServerContext, req: Request): Promise<User> {
  const token = bearer(req.headers.authorization);
  if (!token) throw new GiftwireError('UNAUTHORIZED', 'A Bearer token is required.');
  const claims = await verifyUserToken(ctx.config, token);
  return accountOfToken(ctx, claims);
}

/** A user about to move money or go live: a suspended account is ACCOUNT_SUSPENDED (it may still read). */
export async function authActiveUser(ctx: ServerContext, req: Request): Promise<User> {
  const user = await authUser(ctx, req);
  assertNotSuspended(user);
  return user;
}

export function authAdmin(ctx: ServerContext, req: Request): void {
  const token = bearer(req.headers.authorization);
  if (!token || !isAdminToken(ctx.config, token))
    throw new GiftwireError('UNAUTHORIZED', 'The operator token is required.');
}
