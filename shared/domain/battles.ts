import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Battle } from '../contracts/models';
import type { CreateBattleBody } from '../contracts/battles';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { readBattle } from './battle-view';
import { redisNow } from './clock';
import { listWebhookOwner, newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

/**
 * Gift wars. The state machine lives in Lua, in the battle's own slot (battle-invite, battle-accept, battle-respond,
 * battle-close), so a transition is checked and written in one step and an illegal one changes nothing; each
 * stream's side of it (its pointer to the battle, the window, the side's score) lives in the stream's slot
 * (stream-battle, gift-room), so nothing assumes that a battle and its two streams share a slot:
 *
 *   pending --accept--> active --(endsAt | a stream ends)--> ended
 *   pending --decline--> declined | --cancel--> cancelled | --(expiresAt)--> expired | --(a stream ends)--> cancelled
 *
 * Scores are not written here: a gift's room phase (gift-room, in its stream's slot) adds its coins to that
 * stream's side and its sender to the side's MVP board while startedAt <= now < endsAt by Redis's clock; the
 * sides' scores are copied into the battle when it closes (battle-close).
 * Time is Redis's clock; `now` (ms) may be given only to replay a battle whose window lies in the past (tests).
 */

export async function getBattle(deps: Deps, id: string): Promise<Battle> {
  const b = await readBattle(deps, id);
  if (!b) throw new GiftwireError('NOT_FOUND', 'No such battle.');
  return b;
}

/** The two streams of a battle (they never change). */
async function getSides(deps: Deps, id: string): Promise<{ id: string; aStream: string; bStream: string }> {
  const [aStream, bStream] = await deps.redis.hmget(deps.keys.battle(id), 'aStream', 'bStream');
  if (!aStream || !bStream) throw new GiftwireError('NOT_FOUND', 'No such battle.');
  return { id, aStream, bStream };
}

/** A script's `now` argument: '' lets the script read Redis TIME. */
const at = (now: number | undefined) => (now === undefined ? '' : now);

/** How long a stream's claim may name a battle that was never recorded before it counts as a crashed invite. */
const ABANDONED_CLAIM_MS = 10_000;

type StreamBattleCall = (
  stream: string,
  action: 'claim' | 'release' | 'window',
  ...args: (string | number)[]
) => Promise<unknown[]>;

function streamBattle(deps: Deps): StreamBattleCall {
  return (streamId, action, ...args) => script(deps.redis, 'streamBattle')(deps.keys.stream(streamId), action, ...args);
}

/**
 * The creator of `streamId` challenges `opponentStreamId`. Three owners, in an order that leaves nothing behind:
 * each stream is claimed for the battle in its own slot (one battle at a time, re-checked there), then the battle
 * is recorded in its slot and listed in battles:due. A claim that fails releases the one taken before it; a claim
 * left by a crash names a battle that is closed or was never recorded, and the next claim replaces it.
 * `throttled` (the invitation throttle's verdict) is RATE_LIMITED after every other check, before anything is written.
 */
export async function createBattle(
  deps: Deps,
  userId: string,
  body: CreateBattleBody,
  now?: number,
  throttled = false,
): Promise<Battle> {
  const id = uuidv4();
  const [a, b] = await Promise.all(
    [body.streamId, body.opponentStreamId].map((sid) =>
      deps.redis.hmget(deps.keys.stream(sid), 'creatorId', 'status', 'battleId'),
    ),
  );
  // the contract's order: existence of the caller's stream, permission, the opponent, state
  if (!a![0]) throw new GiftwireError('NOT_FOUND', 'No such stream.');
  if (a![0] !== userId) throw new GiftwireError('FORBIDDEN', 'Only the creator of streamId may challenge.');
  if (!b![0]) throw new GiftwireError('NOT_FOUND', 'No such opponent stream.');
  if (a![1] !== 'live') throw new GiftwireError('STREAM_NOT_LIVE', 'Your stream has ended.');
  if (b![1] !== 'live') throw new GiftwireError('STREAM_NOT_LIVE', 'The opponent stream has ended.');
  if (a![0] === b![0]) throw new GiftwireError('FORBIDDEN', 'A creator cannot battle their own stream.');
  // a refused invitation writes nothing: a stream seen in an open battle is refused before any claim
  if (await inOpenBattle(deps, a![2])) throw new GiftwireError('CONFLICT', 'Your stream is already in a battle.');
  if (await inOpenBattle(deps, b![2])) {
    throw new GiftwireError('CONFLICT', 'The opponent stream is already in a battle.');
  }
  if (throttled) throw new GiftwireError('RATE_LIMITED', 'Too many battle invitations; try again later.');

  await claim(deps, body.streamId, id, 'Your stream');
  try {
    await claim(deps, body.opponentStreamId, id, 'The opponent stream');
  } catch (err) {
    await streamBattle(deps)(body.streamId, 'release', id);
    throw err;
  }
  const ttlMs = deps.config.battleInviteTtlSec * 1000;
  await listWebhookOwner(deps, webhookOwner.battle(id));
  const r = interpret(
    await script(deps.redis, 'battleInvite')(
      deps.keys.battle(id),
      id,
      body.streamId,
      body.opponentStreamId,
      a![0],
      b![0],
      body.durationSec,
      ttlMs,
      at(now),
    ),
  );
  await deps.redis.zadd(deps.keys.battlesDue, Number(r.payload[0]), id);
  return getBattle(deps, id);
}

async function inOpenBattle(deps: Deps, battleId: string | null | undefined): Promise<boolean> {
  if (!battleId) return false;
  const status = await deps.redis.hget(deps.keys.battle(battleId), 'status');
  return status === 'pending' || status === 'active';
}

/** Claims a stream for a battle; a claim that names a closed battle, or one never recorded, is replaced. */
async function claim(deps: Deps, streamId: string, battleId: string, who: string): Promise<void> {
  let stale = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const [status, current, claimedAt] = (await streamBattle(deps)(streamId, 'claim', battleId, stale)) as string[];
    if (status === 'OK') return;
    if (status === 'STREAM_NOT_LIVE') throw new GiftwireError(status, `${who} has ended.`);
    if (status !== 'CONFLICT') throw new GiftwireError('NOT_FOUND', 'No such stream.');
    const other = await deps.redis.hget(deps.keys.battle(current!), 'status');
    const closed = other !== null && other !== 'pending' && other !== 'active';
    const abandoned = other === null && (await redisNow(deps)) - Number(claimedAt) > ABANDONED_CLAIM_MS;
    if (!closed && !abandoned) throw new GiftwireError('CONFLICT', `${who} is already in a battle.`);
    stale = current!;
  }
  throw new GiftwireError('CONFLICT', `${who} is already in a battle.`);
}

/**
 * The opponent's creator accepts: the battle is active from `now` for durationSec, and its window is copied into
 * both streams, where each gift's room phase checks it. A repeat of the accept copies the window again (a crash
 * between the two steps is repaired by the creator's retry).
 */
export async function acceptBattle(deps: Deps, id: string, userId: string, now?: number): Promise<Battle> {
  const r = await getSides(deps, id);
  const statuses = await Promise.all(
    [r.aStream, r.bStream].map((sid) => deps.redis.hget(deps.keys.stream(sid), 'status')),
  );
  const live = statuses.every((st) => st === 'live') ? '1' : '0';
  try {
    interpret(await script(deps.redis, 'battleAccept')(deps.keys.battle(id), id, userId, live, at(now)));
  } catch (err) {
    if (err instanceof GiftwireError && err.code === 'CONFLICT') await copyWindow(deps, r);
    throw err;
  }
  await copyWindow(deps, r);
  return getBattle(deps, id);
}

async function copyWindow(deps: Deps, r: { id: string; aStream: string; bStream: string }): Promise<void> {
  const [status, startedAt, endsAt] = await deps.redis.hmget(deps.keys.battle(r.id), 'status', 'startedAt', 'endsAt');
  if (status !== 'active') return;
  for (const sid of [r.aStream, r.bStream]) await streamBattle(deps)(sid, 'window', r.id, startedAt!, endsAt!);
  await deps.redis.zadd(deps.keys.battlesDue, Number(endsAt), r.id);
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
  interpret(await script(deps.redis, 'battleRespond')(deps.keys.battle(id), id, userId, action, at(now)));
  await releaseClosed(deps, r);
  return getBattle(deps, id);
}

/**
 * Makes whatever transition is due at `now` (expiry, end by time, forfeit of a stream that ended); idempotent.
 * `changed` is true only for the one call that closed the battle: that caller announces it.
 */
export async function closeBattle(deps: Deps, id: string, now?: number): Promise<{ battle: Battle; changed: boolean }> {
  const r = await getSides(deps, id);
  const k = deps.keys;
  const [streams, scores] = await Promise.all([
    Promise.all([r.aStream, r.bStream].map((sid) => deps.redis.hmget(k.stream(sid), 'status', 'endedAt'))),
    Promise.all([r.aStream, r.bStream].map((sid) => deps.redis.hget(k.battleSide(id, sid), 'score'))),
  ]);
  const endedAt = ([status, ended]: (string | null)[]) => (status === 'ended' ? (ended ?? '0') : '');
  // listed since its invitation; listed here too only while open (a battle older than webhooks), so a read of a
  // closed battle lists nothing
  if (await inOpenBattle(deps, id)) await listWebhookOwner(deps, webhookOwner.battle(id));
  const res = interpret(
    await script(deps.redis, 'battleClose')(
      k.battle(id),
      webhookOutboxOf(deps, webhookOwner.battle(id)),
      id,
      at(now),
      endedAt(streams[0]!),
      endedAt(streams[1]!),
      scores[0] ?? '0',
      scores[1] ?? '0',
      newWebhookEventId(),
    ),
  );
  await releaseClosed(deps, r);
  return { battle: await getBattle(deps, id), changed: Number(res.payload[0]) === 1 };
}

/** Once a battle is closed: both streams released and the battle out of battles:due (each a no-op the second time). */
async function releaseClosed(deps: Deps, r: { id: string; aStream: string; bStream: string }): Promise<void> {
  const status = await deps.redis.hget(deps.keys.battle(r.id), 'status');
  if (status === 'pending' || status === 'active') return;
  for (const sid of [r.aStream, r.bStream]) await streamBattle(deps)(sid, 'release', r.id);
  await deps.redis.zrem(deps.keys.battlesDue, r.id);
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
