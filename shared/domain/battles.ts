import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Battle } from '../contracts/models';
import type { CreateBattleBody } from '../contracts/battles';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { readBattle } from './battle-view';

/**
 * Gift wars. The state machine lives in Lua (battle-invite, battle-accept, battle-respond, battle-settle), so a
 * transition is checked and written in one step and an illegal one changes nothing:
 *
 *   pending --accept--> active --(endsAt | a stream ends)--> ended
 *   pending --decline--> declined | --cancel--> cancelled | --(expiresAt)--> expired | --(a stream ends)--> cancelled
 *
 * Scores are not written here: the gift path's atomic phase (gift-accept) adds each gift's coins to its side and
 * its sender to the side's MVP board while the battle is active and startedAt <= now < endsAt.
 * Functions take `now` (ms) so tests can drive time without fake timers.
 */

export async function getBattle(deps: Deps, id: string): Promise<Battle> {
  const b = await readBattle(deps, id);
  if (!b) throw new GiftwireError('NOT_FOUND', 'No such battle.');
  return b;
}

/** The two streams of a battle (they never change): what its scripts need for their KEYS. */
async function getSides(deps: Deps, id: string): Promise<{ id: string; aStream: string; bStream: string }> {
  const [aStream, bStream] = await deps.redis.hmget(deps.keys.battle(id), 'aStream', 'bStream');
  if (!aStream || !bStream) throw new GiftwireError('NOT_FOUND', 'No such battle.');
  return { id, aStream, bStream };
}

/** The keys every battle script takes, in order: battle, stream A, stream B, battles:due. */
function battleKeys(deps: Deps, r: { id: string; aStream: string; bStream: string }): string[] {
  const k = deps.keys;
  return [k.battle(r.id), k.stream(r.aStream), k.stream(r.bStream), k.battlesDue];
}

/** The creator of `streamId` challenges `opponentStreamId`; `throttled` (the invitation throttle's verdict) is RATE_LIMITED after every other check. */
export async function createBattle(
  deps: Deps,
  userId: string,
  body: CreateBattleBody,
  now = Date.now(),
  throttled = false,
): Promise<Battle> {
  const id = uuidv4();
  const keys = battleKeys(deps, { id, aStream: body.streamId, bStream: body.opponentStreamId });
  const ttlMs = deps.config.battleInviteTtlSec * 1000;
  interpret(
    await script(deps.redis, 'battleInvite')(...keys, id, userId, body.durationSec, now, ttlMs, throttled ? '1' : '0'),
  );
  return getBattle(deps, id);
}

/** The opponent's creator accepts: the battle is active from `now` for durationSec. */
export async function acceptBattle(deps: Deps, id: string, userId: string, now = Date.now()): Promise<Battle> {
  const r = await getSides(deps, id);
  interpret(await script(deps.redis, 'battleAccept')(...battleKeys(deps, r), id, userId, now));
  return getBattle(deps, id);
}

/** The opponent declines, or the challenger cancels, a pending battle. */
export async function respondBattle(
  deps: Deps,
  id: string,
  userId: string,
  action: 'decline' | 'cancel',
  now = Date.now(),
): Promise<Battle> {
  const r = await getSides(deps, id);
  interpret(await script(deps.redis, 'battleRespond')(...battleKeys(deps, r), id, userId, action, now));
  return getBattle(deps, id);
}

/**
 * Makes whatever transition is due at `now` (expiry, end by time, forfeit of a stream that ended); idempotent.
 * `changed` is true only for the one call that closed the battle: that caller announces it.
 */
export async function settleBattle(
  deps: Deps,
  id: string,
  now = Date.now(),
): Promise<{ battle: Battle; changed: boolean }> {
  const r = await getSides(deps, id);
  const res = interpret(await script(deps.redis, 'battleSettle')(...battleKeys(deps, r), id, now));
  return { battle: await getBattle(deps, id), changed: Number(res.payload[0]) === 1 };
}

/** When a battle's next transition is due: expiresAt while pending, endsAt while active, null once closed. */
export function dueAt(battle: Battle): number | null {
  if (battle.status === 'pending') return battle.expiresAt ?? null;
  if (battle.status === 'active') return battle.endsAt ?? null;
  return null;
}

/** Ids of open battles whose next transition is due at `now` (the sweeper's work list). */
export async function dueBattleIds(deps: Deps, now: number, limit = 100): Promise<string[]> {
  return deps.redis.zrangebyscore(deps.keys.battlesDue, '-inf', now, 'LIMIT', 0, limit);
}
