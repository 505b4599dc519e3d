import type { Battle } from '../contracts/models';
import type { CreateBattleBody } from '../contracts/battles';
import { GiftwireError } from '../contracts/errors';
import { acceptBattle, closeBattle, createBattle, respondBattle } from '../domain/battles';
import { battleRooms, type BattleEventName } from '../domain/battle-events';
import { scheduleBattleTimer } from '../runtime/battle-timers';
import { createInviteThrottle } from '../domain/battle-invite-throttle';
import type { Announce } from './announce';
import type { AnnouncingDeps, UseCaseDeps } from './context';

/**
 * Gift wars as the outside world drives them: each transition (shared/domain/battles.ts), then its timer and its
 * announcement to the rooms. HTTP routes, the stream-end use case and the battle worker all come through here.
 */

export function announceBattle(announce: Announce, event: BattleEventName, battle: Battle): void {
  announce(battleRooms(event, battle), event, { battle });
}

/**
 * Makes whatever transition is due at `now` (Redis's clock unless given: expiry, end by time, forfeit of an ended
 * stream) and announces
 * battle:ended when this call closed the battle; returns the battle as it stands. Used lazily on read, by the
 * stream end and by the timer worker.
 */
export async function closeDueBattle(deps: AnnouncingDeps, id: string, now?: number): Promise<Battle> {
  const { battle, changed } = await closeBattle(deps, id, now);
  if (changed) announceBattle(deps.announce, 'battle:ended', battle);
  return battle;
}

const ignoreUnrecorded = (err: unknown) => {
  if (!(err instanceof GiftwireError && err.code === 'NOT_FOUND')) throw err;
};

// The battle's state is already committed; a timer that cannot be added now is found by the sweeper.
async function scheduleTimer(deps: UseCaseDeps, battle: Battle): Promise<void> {
  await scheduleBattleTimer(deps.queues, battle).catch((err: unknown) =>
    deps.log.error({ err, battleId: battle.id }, 'battle timer not scheduled'),
  );
}

export async function inviteToBattle(
  deps: UseCaseDeps,
  userId: string,
  body: CreateBattleBody,
  now?: number,
): Promise<Battle> {
  // A battle overdue for its end or expiry must not keep either stream busy. A pointer may name a battle whose
  // invitation is still being recorded (each stream is claimed before the battle is written): nothing is due there.
  for (const streamId of [body.streamId, body.opponentStreamId]) {
    const current = await deps.redis.hget(deps.keys.stream(streamId), 'battleId');
    if (current) await closeDueBattle(deps, current, now).catch(ignoreUnrecorded);
  }
  const target = await deps.redis.hget(deps.keys.stream(body.opponentStreamId), 'creatorId');
  const ticket = await createInviteThrottle(deps)(userId, target);
  const battle = await createBattle(deps, userId, body, now, ticket.throttled).catch(async (err: unknown) => {
    await ticket.refund();
    throw err;
  });
  await scheduleTimer(deps, battle);
  announceBattle(deps.announce, 'battle:invited', battle);
  return battle;
}

export async function acceptBattleInvite(deps: UseCaseDeps, id: string, userId: string, now?: number): Promise<Battle> {
  await closeDueBattle(deps, id, now);
  const battle = await acceptBattle(deps, id, userId, now);
  await scheduleTimer(deps, battle);
  announceBattle(deps.announce, 'battle:started', battle);
  return battle;
}

export async function respondToBattleInvite(
  deps: AnnouncingDeps,
  id: string,
  userId: string,
  action: 'decline' | 'cancel',
  now?: number,
): Promise<Battle> {
  const battle = await respondBattle(deps, id, userId, action, now);
  announceBattle(deps.announce, 'battle:ended', battle);
  return battle;
}
