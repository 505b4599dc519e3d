import type { AcceptedGift } from '../../shared/domain/gift-types';
import { readBattle } from '../../shared/domain/battle-view';
import { announceBattle } from '../../shared/usecases/battles';
import type { ServerContext } from '../context';

/**
 * battle:update, throttled and only on change. Each gift this process accepts for a battle marks the battle
 * dirty; at most once per BATTLE_PUSH_MS the dirty battles are re-read from Redis (scores and MVPs as the gift
 * scripts left them) and pushed to both rooms when they differ from what this process pushed last.
 * With several server processes each pushes for the gifts it accepted: every push is the full current state,
 * so a client simply keeps the latest. Nothing is pushed for a battle that is no longer active, so
 * battle:ended is the last word.
 */
export function battleUpdates(ctx: ServerContext): void {
  const dirty = new Set<string>();
  const lastPushed = new Map<string, { fingerprint: string; endsAt: number }>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = async () => {
    const ids = [...dirty];
    dirty.clear();
    const now = Date.now();
    for (const [id, last] of lastPushed) if (last.endsAt < now) lastPushed.delete(id);
    for (const id of ids) {
      const battle = await readBattle(ctx, id);
      // Past endsAt the end is due any moment: battle:ended must stay the last word.
      if (!battle || battle.status !== 'active' || Date.now() >= (battle.endsAt ?? 0)) {
        lastPushed.delete(id);
        continue;
      }
      if (closed) return;
      const fingerprint = JSON.stringify(battle.sides);
      if (lastPushed.get(id)?.fingerprint === fingerprint) continue;
      lastPushed.set(id, { fingerprint, endsAt: battle.endsAt ?? 0 });
      announceBattle(ctx.announce, 'battle:update', battle);
    }
  };

  let inFlight: Promise<void> | undefined;
  const tick = () => {
    inFlight = flush()
      .catch((err: unknown) => ctx.log.warn({ err }, 'battle update failed'))
      .finally(() => {
        inFlight = undefined;
        timer = undefined;
        if (dirty.size > 0 && !closed) timer = setTimeout(tick, ctx.config.battlePushMs);
      });
  };

  const onGift = (accepted: AcceptedGift) => {
    if (!accepted.battleId || accepted.replay) return;
    dirty.add(accepted.battleId);
    if (!timer && !closed) timer = setTimeout(tick, ctx.config.battlePushMs);
  };

  ctx.events.on('gift:accepted', onGift);
  // A flush under way finishes before the adapter's connections close (cleanups run in reverse order).
  ctx.onClose(async () => {
    closed = true;
    ctx.events.off('gift:accepted', onGift);
    if (timer) clearTimeout(timer);
    await inFlight;
  });
}
