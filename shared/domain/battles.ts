import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Battle } from '../contracts/models';
import type { CreateBattleBody } from '../contracts/battles';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { readBattle } from './battle-view';

/**
 * Gift wars. The state machine lives in Lua (battle-invite, battle-accept, battle-respond, battle-close), so a
 * transition is checked and written in one step and an illegal one changes nothing:
 *
 *   pending --accept--> active --(endsAt | a stream ends)--> ended
 *   pending --decline--> declined | --cancel--> cancelled | --(expiresAt)--> expired | --(a stream ends)--> cancelled
 *
 * Scores are not written here: a gift's room phase (gift-room, in its stream's slot) adds its coins to that
 * stream's side and its sender to the side's MVP board while startedAt <= now < endsAt by Redis's clock; the
 * sides' scores are copied into the battle when it closes (battle-close).
 * Time is Redis's clock; `now` (ms) may be given only to replay a battle whose window lies in the past (tests).
 */

/** The public Battle (shared/domain/battle-view.ts), or null when there is no such battle. */
export const findBattle = readBattle;

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

/** A script's `now` argument: '' lets the script read Redis TIME. */
const at = (now: number | undefined) => (now === undefined ? '' : now);

/** The creator of `streamId` challenges `opponentStreamId`. */
export async function createBattle(deps: Deps, userId: string, body: CreateBattleBody, now?: number): Promise<Battle> {
  const id = uuidv4();
  const keys = battleKeys(deps, { id, aStream: body.streamId, bStream: body.opponentStreamId });
  const ttlMs = deps.config.battleInviteTtlSec * 1000;
  interpret(await script(deps.redis, 'battleInvite')(...keys, id, userId, body.durationSec, ttlMs, at(now)));
  return getBattle(deps, id);
}

/** The opponent's creator accepts: the battle is active from `now` for durationSec. */
export async function acceptBattle(deps: Deps, id: string, userId: string, now?: number): Promise<Battle> {
  const r = await getSides(deps, id);
  interpret(await script(deps.redis, 'battleAccept')(...battleKeys(deps, r), id, userId, at(now)));
  return getBattle(deps, id);
}

/** The opponent declines, or the challenger cancels, a pending battle. */
export async function respondBattle(
  deps: Deps,
  id: string,
  userId: string,
  action: 'decline' | 'cancel',
  now?: number,
): Promise<Battle> {
  const r = await getSides(deps, id);
  interpret(await script(deps.redis, 'battleRespond')(...battleKeys(deps, r), id, userId, action, at(now)));
  return getBattle(deps, id);
}

/**
 * Makes whatever transition is due at `now` (expiry, end by time, forfeit of a stream that ended); idempotent.
 * `changed` is true only for the one call that closed the battle: that caller announces it.
 */
export async function closeBattle(deps: Deps, id: string, now?: number): Promise<{ battle: Battle; changed: boolean }> {
  const r = await getSides(deps, id);
  const k = deps.keys;
  const sides = [k.battleSide(id, r.aStream), k.battleSide(id, r.bStream)];
  const res = interpret(await script(deps.redis, 'battleClose')(...battleKeys(deps, r), ...sides, id, at(now)));
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
