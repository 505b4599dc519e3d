import type { AcceptedGift } from '../../shared/domain/gift-types';
import { readBattle } from '../../shared/domain/battle-view';
import { battleRooms } from '../../shared/domain/battle-events';
import type { ServerContext } from '../context';
import { latestState } from './latest-state';
import { throttledPush } from './throttled-push';

/**
 * battle:update, throttled and only on change. Each gift this process accepts for a battle marks the battle
 * dirty; at most once per BATTLE_PUSH_MS the dirty battles are re-read from Redis (scores and MVPs as the gift
 * scripts left them) and pushed to both rooms when they differ from what this process pushed last.
 * With several server processes each pushes for the gifts it accepted: every push is the full current state,
 * so a client simply keeps the latest, and a socket that is behind gets only the latest (latest-state.ts). Nothing is pushed for a battle that is no longer active, so
 * battle:ended is the last word.
 */
export function battleUpdates(ctx: ServerContext): void {
  const states = latestState(ctx);
  const lastPushed = new Map<string, { fingerprint: string; endsAt: number }>();

  const pushes = throttledPush(ctx, 'battle update', async (id, open) => {
    const now = Date.now();
    for (const [other, last] of lastPushed) if (last.endsAt < now) lastPushed.delete(other);
    const battle = await readBattle(ctx, id);
    // Past endsAt the end is due any moment: battle:ended must stay the last word.
    if (!battle || battle.status !== 'active' || Date.now() >= (battle.endsAt ?? 0)) {
      lastPushed.delete(id);
      return null;
    }
    if (!open()) return null;
    const fingerprint = JSON.stringify(battle.sides);
    if (lastPushed.get(id)?.fingerprint === fingerprint) return null;
    lastPushed.set(id, { fingerprint, endsAt: battle.endsAt ?? 0 });
    // held for a socket that is behind, it is dropped at endsAt or by battle:ended (a forfeit): the last word
    states.push(
      battleRooms('battle:update', battle),
      `battle:${battle.id}`,
      'battle:update',
      { battle },
      {
        expiresAt: battle.endsAt ?? undefined,
        droppedBy: 'battle:ended',
      },
    );
    return null;
  });

  const onGift = (accepted: AcceptedGift) => {
    if (accepted.battleId && !accepted.replay) pushes.mark(accepted.battleId, ctx.config.battlePushMs);
  };
  ctx.events.on('gift:accepted', onGift);
  ctx.onClose(() => {
    ctx.events.off('gift:accepted', onGift);
  });
}
