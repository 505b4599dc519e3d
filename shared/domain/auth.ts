import { timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { GiftwireError } from '../contracts/errors';
import type { Config } from '../config';

/**
 * User tokens: HS256 JWTs (jose), algorithm pinned on verify so `alg: none` and algorithm-confusion tokens
 * are refused; `sub` and `exp` are required.
 */
const ALG = 'HS256';
/** Contract v1.1: user tokens carry iss and aud "giftwire"; a token for another audience is refused. */
const ISSUER = 'giftwire';
const AUDIENCE = 'giftwire';

export interface TokenClaims {
  userId: string;
  /** Expiry, ms since the epoch: sockets re-check it before every spend. */
  expiresAt: number;
}

function secretKey(config: Config): Uint8Array {
  return new TextEncoder().encode(config.jwtSecret);
}

export async function signUserToken(config: Config, userId: string, ttlSec = config.tokenTtlSec): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSec)
    .sign(secretKey(config));
}

export async function verifyUserToken(config: Config, token: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, secretKey(config), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iss', 'aud'],
    });
    return { userId: payload.sub!, expiresAt: payload.exp! * 1000 };
  } catch (err) {
    const reason = err instanceof joseErrors.JWTExpired ? 'The token has expired.' : 'The token is not valid.';
    throw new GiftwireError('UNAUTHORIZED', reason);
  }
}

/** `Authorization: Bearer x` -> x, or undefined when absent; a malformed header is UNAUTHORIZED. */
export function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer ([^\s]+)$/.exec(header.trim());
  if (!m) throw new GiftwireError('UNAUTHORIZED', 'The Authorization header must be "Bearer <token>".');
  return m[1];
}

export function isAdminToken(config: Config, token: string): boolean {
  const a = Buffer.from(token);
  const b = Buffer.from(config.adminToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
