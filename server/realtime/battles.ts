import { GiftwireError } from '../../shared/contracts/errors';
import type { Battle } from '../../shared/contracts/models';
import type { CreateBattleBody } from '../../shared/contracts/battles';
import { acceptBattle, closeBattle, createBattle, respondBattle } from '../../shared/domain/battles';
import { announceBattle, type BattleBroadcast } from '../../shared/domain/battle-events';
import { scheduleBattleTimer } from '../../shared/domain/battle-timers';
import type { ServerContext } from '../context';

/**
 * The server's side of battles: each transition, then its timer and its announcement to the rooms.
 * Holds nothing of its own: timers go through the context's queues (ctx.queues).
 */
export interface BattleService {
  create(userId: string, body: CreateBattleBody, now?: number): Promise<Battle>;
  accept(id: string, userId: string, now?: number): Promise<Battle>;
  respond(id: string, userId: string, action: 'decline' | 'cancel', now?: number): Promise<Battle>;
  /** Makes any overdue transition now (lazily, on read) and announces it; returns the battle as it stands. */
  settle(id: string, now?: number): Promise<Battle>;
}

const ignoreUnrecorded = (err: unknown) => {
  if (!(err instanceof GiftwireError && err.code === 'NOT_FOUND')) throw err;
};

export function battleService(ctx: ServerContext): BattleService {
  const broadcast: BattleBroadcast = (rooms, event, payload) => {
    ctx.io.to(rooms).emit(event, payload);
  };
  // The battle's state is already committed; a timer that cannot be added now is found by the sweeper.
  const schedule = (battle: Battle) =>
    scheduleBattleTimer(ctx.queues, battle).catch((err: unknown) =>
      ctx.log.error({ err, battleId: battle.id }, 'battle timer not scheduled'),
    );

  const settle = async (id: string, now?: number) => {
    const { battle, changed } = await closeBattle(ctx, id, now);
    if (changed) announceBattle(broadcast, 'battle:ended', battle);
    return battle;
  };

  return {
    settle,
    async create(userId, body, now) {
      // A battle overdue for its end or expiry must not keep either stream busy.
      for (const streamId of [body.streamId, body.opponentStreamId]) {
        const current = await ctx.redis.hget(ctx.keys.stream(streamId), 'battleId');
        // a pointer may name a battle whose invitation is still being recorded (its claim comes first): nothing due
        if (current) await settle(current, now).catch(ignoreUnrecorded);
      }
      const battle = await createBattle(ctx, userId, body, now);
      await schedule(battle);
      announceBattle(broadcast, 'battle:invited', battle);
      return battle;
    },
    async accept(id, userId, now) {
      await settle(id, now);
      const battle = await acceptBattle(ctx, id, userId, now);
      await schedule(battle);
      announceBattle(broadcast, 'battle:started', battle);
      return battle;
    },
    async respond(id, userId, action, now) {
      const battle = await respondBattle(ctx, id, userId, action, now);
      announceBattle(broadcast, 'battle:ended', battle);
      return battle;
    },
  };
}
