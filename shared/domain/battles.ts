import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Battle, BattleSide, BattleStatus, Mvp } from '../contracts/models';
import type { CreateBattleBody } from '../contracts/battles';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { getUsers } from './users';

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

interface BattleRecord {
  id: string;
  status: BattleStatus;
  aStream: string;
  bStream: string;
  aCreator: string;
  bCreator: string;
  durationSec: number;
  createdAt: number;
  expiresAt: number;
  startedAt?: number;
  endsAt?: number;
  endedAt?: number;
  aScore: number;
  bScore: number;
  winnerStreamId: string;
  endReason: string;
}

const num = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);

function fromHash(h: Record<string, string>): BattleRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    status: h.status as BattleStatus,
    aStream: h.aStream ?? '',
    bStream: h.bStream ?? '',
    aCreator: h.aCreator ?? '',
    bCreator: h.bCreator ?? '',
    durationSec: Number(h.durationSec),
    createdAt: Number(h.createdAt),
    expiresAt: Number(h.expiresAt),
    startedAt: num(h.startedAt),
    endsAt: num(h.endsAt),
    endedAt: num(h.endedAt),
    aScore: Number(h.aScore ?? 0),
    bScore: Number(h.bScore ?? 0),
    winnerStreamId: h.winnerStreamId ?? '',
    endReason: h.endReason ?? '',
  };
}

/** Top of a leaderboard (see lua/lib/leaderboard.lua: `<15-digit MAX - coins>:<15-digit seq>:<userId>`). */
async function topOf(deps: Deps, board: string): Promise<{ userId: string; coins: number } | null> {
  const [member] = await deps.redis.zrange(board, 0, 0);
  if (!member) return null;
  return { userId: member.slice(32), coins: 999_999_999_999_999 - Number(member.slice(0, 15)) };
}

const TERMINAL: ReadonlySet<BattleStatus> = new Set(['ended', 'declined', 'cancelled', 'expired']);

export function isOpen(battle: Pick<Battle, 'status'>): boolean {
  return !TERMINAL.has(battle.status);
}

/** The public Battle shape: sides in the order challenger, opponent; MVPs joined with display names. */
async function present(deps: Deps, r: BattleRecord): Promise<Battle> {
  const tops =
    r.status === 'pending' ? [null, null] : await Promise.all([r.aStream, r.bStream].map((s) => topOf(deps, deps.keys.lbBattleSide(r.id, s))));
  const users = await getUsers(deps, tops.flatMap((t) => (t ? [t.userId] : [])));
  const mvp = (t: { userId: string; coins: number } | null | undefined): Mvp | null =>
    t ? { userId: t.userId, displayName: users.get(t.userId)?.displayName ?? '', coins: t.coins } : null;
  const side = (streamId: string, creatorId: string, score: number, i: number): BattleSide => ({
    streamId,
    creatorId,
    score,
    mvp: mvp(tops[i]),
  });
  const battle: Battle = {
    id: r.id,
    status: r.status,
    sides: [side(r.aStream, r.aCreator, r.aScore, 0), side(r.bStream, r.bCreator, r.bScore, 1)],
    durationSec: r.durationSec,
    createdAt: r.createdAt,
  };
  if (r.status === 'pending') battle.expiresAt = r.expiresAt;
  if (r.startedAt !== undefined) battle.startedAt = r.startedAt;
  if (r.endsAt !== undefined) battle.endsAt = r.endsAt;
  if (r.endedAt !== undefined) battle.endedAt = r.endedAt;
  if (r.status === 'ended') battle.winnerStreamId = r.winnerStreamId || null;
  if (r.endReason) battle.endReason = r.endReason;
  return battle;
}

async function findRecord(deps: Deps, id: string): Promise<BattleRecord | null> {
  return fromHash(await deps.redis.hgetall(deps.keys.battle(id)));
}

async function getRecord(deps: Deps, id: string): Promise<BattleRecord> {
  const r = await findRecord(deps, id);
  if (!r) throw new GiftwireError('NOT_FOUND', 'No such battle.');
  return r;
}

export async function findBattle(deps: Deps, id: string): Promise<Battle | null> {
  const r = await findRecord(deps, id);
  return r ? present(deps, r) : null;
}

export async function getBattle(deps: Deps, id: string): Promise<Battle> {
  return present(deps, await getRecord(deps, id));
}

/** The stream's pending or active battle, or null. */
export async function currentBattle(deps: Deps, streamId: string): Promise<Battle | null> {
  const id = await deps.redis.hget(deps.keys.stream(streamId), 'battleId');
  if (!id) return null;
  const b = await findBattle(deps, id);
  return b && isOpen(b) ? b : null;
}

/** The stream's active battle, or null: what a viewer joining the room is shown. */
export async function activeBattle(deps: Deps, streamId: string): Promise<Battle | null> {
  const b = await currentBattle(deps, streamId);
  return b?.status === 'active' ? b : null;
}

/** The keys every battle script takes, in order: battle, stream A, stream B, battles:due. */
function battleKeys(deps: Deps, r: Pick<BattleRecord, 'id' | 'aStream' | 'bStream'>): string[] {
  const k = deps.keys;
  return [k.battle(r.id), k.stream(r.aStream), k.stream(r.bStream), k.battlesDue];
}

/** The creator of `streamId` challenges `opponentStreamId`. */
export async function createBattle(deps: Deps, userId: string, body: CreateBattleBody, now = Date.now()): Promise<Battle> {
  const id = uuidv4();
  const keys = battleKeys(deps, { id, aStream: body.streamId, bStream: body.opponentStreamId });
  const ttlMs = deps.config.battleInviteTtlSec * 1000;
  interpret(await script(deps.redis, 'battleInvite')(...keys, id, userId, body.durationSec, now, ttlMs));
  return getBattle(deps, id);
}

/** The opponent's creator accepts: the battle is active from `now` for durationSec. */
export async function acceptBattle(deps: Deps, id: string, userId: string, now = Date.now()): Promise<Battle> {
  const r = await getRecord(deps, id);
  interpret(await script(deps.redis, 'battleAccept')(...battleKeys(deps, r), id, userId, now));
  return getBattle(deps, id);
}

/** The opponent declines, or the challenger cancels, a pending battle. */
export async function respondBattle(deps: Deps, id: string, userId: string, action: 'decline' | 'cancel', now = Date.now()): Promise<Battle> {
  const r = await getRecord(deps, id);
  interpret(await script(deps.redis, 'battleRespond')(...battleKeys(deps, r), id, userId, action, now));
  return getBattle(deps, id);
}

/**
 * Makes whatever transition is due at `now` (expiry, end by time, forfeit of a stream that ended); idempotent.
 * `changed` is true only for the one call that closed the battle: that caller announces it.
 */
export async function settleBattle(deps: Deps, id: string, now = Date.now()): Promise<{ battle: Battle; changed: boolean }> {
  const r = await getRecord(deps, id);
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
