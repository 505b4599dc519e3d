import { GiftwireError } from '../contracts/errors';
import type { User } from '../contracts/users';
import type { TokenClaims } from './auth';
import type { Deps } from './deps';
import { getUser, userFromHash } from './users';

/**
 * What an operator can do to an account: suspend it (no money moves in or out, no going live; reading and watching
 * still work) and revoke its tokens (every token issued at or before `revokedAt` is refused). Both live in the
 * user's hash, in the user's shard, beside the wallet.
 */
export interface Account {
  user: User;
  /** ms; 0 when the user's tokens were never revoked. */
  revokedAt: number;
}

export async function findAccount(deps: Deps, userId: string): Promise<Account | null> {
  const h = await deps.redis.hgetall(deps.keys.user(userId));
  const user = userFromHash(h);
  return user ? { user, revokedAt: Number(h.revokedAt ?? 0) } : null;
}

/** The user a verified token names, if it still may act: unknown users and revoked tokens are UNAUTHORIZED. */
export async function accountOfToken(deps: Deps, claims: TokenClaims): Promise<User> {
  const account = await findAccount(deps, claims.userId);
  if (!account) throw new GiftwireError('UNAUTHORIZED', 'The token names no known user.');
  if (claims.issuedAt <= account.revokedAt) throw new GiftwireError('UNAUTHORIZED', 'The token was revoked.');
  return account.user;
}

export async function setSuspended(deps: Deps, userId: string, reason: string | null, now = Date.now()): Promise<User> {
  await getUser(deps, userId);
  const key = deps.keys.user(userId);
  if (reason === null) await deps.redis.hset(key, 'suspended', '0');
  else await deps.redis.hset(key, { suspended: '1', suspendedReason: reason, suspendedAt: String(now) });
  return getUser(deps, userId);
}

/**
 * Revokes every token issued up to now. The answer waits until the clock has passed `revokedAt`, so that a token
 * minted after the answer (same clock, same machine) is issued strictly after it and works, while one minted
 * earlier in the same millisecond is refused ("to the millisecond").
 */
export async function revokeTokens(deps: Deps, userId: string): Promise<number> {
  await getUser(deps, userId);
  const revokedAt = Date.now();
  await deps.redis.hset(deps.keys.user(userId), 'revokedAt', String(revokedAt));
  while (Date.now() <= revokedAt) await new Promise((r) => setTimeout(r, 1));
  return revokedAt;
}
