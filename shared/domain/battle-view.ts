import type { Battle, BattleSide, BattleStatus, Mvp } from '../contracts/models';
import type { Deps } from './deps';
import { readBoard } from './leaderboards';

/**
 * Reads a battle as the contract shows it, from the battle's hash, each side's score and MVP board (in the sides'
 * stream slots) (docs/ARCHITECTURE.md). Shared by the stream join acknowledgement and the battles feature.
 */
const STATUSES: readonly BattleStatus[] = ['pending', 'active', 'ended', 'expired', 'declined', 'cancelled'];

function num(v: string | undefined): number | undefined {
  return v === undefined || v === '' ? undefined : Number(v);
}

async function mvpOf(deps: Deps, battleId: string, streamId: string): Promise<Mvp | null> {
  const [top] = await readBoard(deps, deps.keys.lbBattleSide(battleId, streamId), 1);
  return top ? { userId: top.userId, displayName: top.displayName, coins: top.coins } : null;
}

export async function readBattle(deps: Deps, battleId: string): Promise<Battle | null> {
  const h = await deps.redis.hgetall(deps.keys.battle(battleId));
  if (!h.id) return null;
  const aStream = h.aStream ?? '';
  const bStream = h.bStream ?? '';
  const [aMvp, bMvp, aLive, bLive] = await Promise.all([
    mvpOf(deps, battleId, aStream),
    mvpOf(deps, battleId, bStream),
    deps.redis.hget(deps.keys.battleSide(battleId, aStream), 'score'),
    deps.redis.hget(deps.keys.battleSide(battleId, bStream), 'score'),
  ]);
  const side = (
    streamId: string,
    creatorId: string | undefined,
    score: string | undefined,
    mvp: Mvp | null,
  ): BattleSide => ({
    streamId,
    creatorId: creatorId ?? '',
    score: Number(score ?? 0),
    mvp,
  });
  const status = STATUSES.includes(h.status as BattleStatus) ? (h.status as BattleStatus) : 'pending';
  // while it runs, each side's score lives in its stream's slot; closing copies the final scores into the battle
  const open = status === 'pending' || status === 'active';
  const battle: Battle = {
    id: h.id,
    status,
    sides: [
      side(aStream, h.aCreator, open ? (aLive ?? '0') : h.aScore, aMvp),
      side(bStream, h.bCreator, open ? (bLive ?? '0') : h.bScore, bMvp),
    ],
    durationSec: Number(h.durationSec ?? 0),
  };
  const createdAt = num(h.createdAt);
  const startedAt = num(h.startedAt);
  const endsAt = num(h.endsAt);
  const endedAt = num(h.endedAt);
  if (createdAt !== undefined) battle.createdAt = createdAt;
  const expiresAt = num(h.expiresAt);
  if (status === 'pending' && expiresAt !== undefined) battle.expiresAt = expiresAt;
  if (startedAt !== undefined) battle.startedAt = startedAt;
  if (endsAt !== undefined) battle.endsAt = endsAt;
  if (endedAt !== undefined) battle.endedAt = endedAt;
  if (status === 'ended') battle.winnerStreamId = h.winnerStreamId ? h.winnerStreamId : null;
  if (h.endReason) battle.endReason = h.endReason;
  return battle;
}
