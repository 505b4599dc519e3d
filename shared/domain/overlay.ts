import { randomBytes } from 'node:crypto';
import type { Deps } from './deps';

/** A creator's overlay secret: a new one replaces the old one, which stops working at once. */
export async function rotateOverlayKey(deps: Deps, creatorId: string): Promise<string> {
  const key = randomBytes(24).toString('base64url');
  const old = await deps.redis.hget(deps.keys.user(creatorId), 'overlayKey');
  // three owners (the new secret, the creator, the old secret): the old secret is dropped last, so a crash part
  // way leaves at worst an old secret that still works until the next rotation, never a creator without one
  await deps.redis.set(deps.keys.overlayKey(key), creatorId);
  await deps.redis.hset(deps.keys.user(creatorId), 'overlayKey', key);
  if (old) await deps.redis.del(deps.keys.overlayKey(old));
  return key;
}

export async function creatorOfOverlayKey(deps: Deps, key: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(key)) return null;
  return deps.redis.get(deps.keys.overlayKey(key));
}
