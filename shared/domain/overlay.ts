import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from './deps';

/*
 * A creator's overlay key lives in two places that sit in different Redis Cluster slots: the creator's own record
 * (`user:<id>` field overlayKey), which is the truth, and the lookup index `overlay:<key> -> creatorId`, which only
 * points at a creator. No step touches both at once: a rotation replaces the record's key in one atomic step, and a
 * lookup through the index is honoured only while the key is still the creator's current one. So concurrent
 * rotations leave exactly one valid key (the last to replace the record), and an index entry left behind by a
 * rotation that died half-way is harmless; it is deleted when it is found.
 */

/**
 * A creator's overlay secret: a new one replaces the old one, which stops working at once. Returns both, so the
 * caller can drop the overlays still open with the previous key (and only those).
 */
export async function rotateOverlayKey(
  deps: Deps,
  creatorId: string,
): Promise<{ key: string; previous: string | null }> {
  const key = randomBytes(24).toString('base64url');
  // The index first: the key can be found the moment the record names it, and a crash here leaves only an orphan.
  await deps.redis.set(deps.keys.overlayKey(key), creatorId);
  // HGET and HSET in one MULTI on one key: the previous key is read and replaced atomically, in the creator's slot.
  const res = await deps.redis
    .multi()
    .hget(deps.keys.user(creatorId), 'overlayKey')
    .hset(deps.keys.user(creatorId), 'overlayKey', key)
    .exec();
  const previous = res?.[0]?.[1];
  if (typeof previous === 'string' && previous) {
    await forget(deps, previous);
    return { key, previous };
  }
  return { key, previous: null };
}

/** Names a key without revealing it (room names travel in Redis channel names). */
export function overlayKeyDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

export async function creatorOfOverlayKey(deps: Deps, key: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(key)) return null;
  const creatorId = await deps.redis.get(deps.keys.overlayKey(key));
  if (!creatorId) return null;
  const current = await deps.redis.hget(deps.keys.user(creatorId), 'overlayKey');
  if (current && sameKey(current, key)) return creatorId;
  await forget(deps, key);
  return null;
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Best effort: a stale index entry is refused anyway, deleting it only keeps the index small. */
async function forget(deps: Deps, key: string): Promise<void> {
  await deps.redis.del(deps.keys.overlayKey(key)).catch(() => undefined);
}
