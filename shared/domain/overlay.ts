import { randomBytes } from 'node:crypto';
import type { Deps } from './deps';

/** A creator's overlay secret: a new one replaces the old one, which stops working at once. */
export async function rotateOverlayKey(deps: Deps, creatorId: string): Promise<string> {
  const key = randomBytes(24).toString('base64url');
  const old = await deps.redis.hget(deps.keys.user(creatorId), 'overlayKey');
  const m = deps.redis.multi();
  if (old) m.del(deps.keys.overlayKey(old));
  m.set(deps.keys.overlayKey(key), creatorId).hset(deps.keys.user(creatorId), 'overlayKey', key);
  await m.exec();
  return key;
}

export async function creatorOfOverlayKey(deps: Deps, key: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(key)) return null;
  return deps.redis.get(deps.keys.overlayKey(key));
}
