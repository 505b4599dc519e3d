import { timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { GiftwireError } from '../contracts/errors';
import type { Config } from '../config';

/**
 * User tokens: HS256 JWTs (jose), algorithm pinned on verify so `alg: none` and algorithm-confusion tokens
 * are refused; `sub` and `exp` are required, and `iss`/`aud` are pinned to "giftwire" so that a token minted with
 * the same secret for another service is refused.
 *
 * JWT `iat` is in whole seconds, but a revocation (`revokedAt`) is to the millisecond: a token issued earlier in
 * the same second as the revocation must be refused while one issued after it works. So every token also carries
 * `iat_ms`, its issue time in ms; a token without it counts as issued at the start of its `iat` second.
 */
const ALG = 'HS256';
export const TOKEN_ISSUER = 'giftwire';
export const TOKEN_AUDIENCE = 'giftwire';
const ISSUED_AT_MS = 'iat_ms';

export interface TokenClaims {
  userId: string;
  /** Expiry, ms since the epoch: sockets re-check it before every spend. */
  expiresAt: number;
  /** Issue time, ms since the epoch: a token issued at or before the user's `revokedAt` is refused. */
  issuedAt: number;
}

function secretKey(config: Config): Uint8Array {
  return new TextEncoder().encode(config.jwtSecret);
}

export async function signUserToken(config: Config, userId: string, ttlSec = config.tokenTtlSec): Promise<string> {
  const nowMs = Date.now();
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ [ISSUED_AT_MS]: nowMs })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSec)
    .sign(secretKey(config));
}

export async function verifyUserToken(config: Config, token: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, secretKey(config), {
      algorithms: [ALG],
      requiredClaims: ['sub', 'exp', 'iss', 'aud'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    const ms = payload[ISSUED_AT_MS];
    const issuedAt = typeof ms === 'number' && Number.isSafeInteger(ms) ? ms : (payload.iat ?? 0) * 1000;
    return { userId: payload.sub!, expiresAt: payload.exp! * 1000, issuedAt };
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
