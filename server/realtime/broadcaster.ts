import { Counter } from 'prom-client';
import { creatorRoom, watcherRoom } from '../../shared/contracts/rooms';
import type { GiftEvent } from '../../shared/contracts/models';
import { findGift } from '../../shared/domain/catalog';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import type { ServerContext } from '../context';
import { foldFrame } from './frames';

/** Large and epic gifts are the moments a stream is about: they are never summed into `rest`. */
export function isBigGift(g: GiftEvent): boolean {
  const tier = findGift(g.giftId)?.tier;
  return tier === 'large' || tier === 'epic';
}

/**
 * The per-room broadcaster: gifts accepted by this process within one FRAME_TICK_MS tick (the first gift opens
 * the tick) go out as one `gifts` frame per stream, in acceptance order. The creator's room gets every gift
 * unfolded; the watchers' room gets the folded frame (frames.ts). When nothing was folded, one emit reaches both
 * rooms (a socket in both gets it once). Emits go through io.to(), so the Redis adapter carries them to sockets on
 * other server processes; each process broadcasts the gifts it accepted.
 */
export function startBroadcaster(ctx: ServerContext): { flush(): void } {
  const pending = new Map<string, AcceptedGift[]>();
  let timer: NodeJS.Timeout | null = null;
  const frames = new Counter({
    name: 'giftwire_gift_frames_total',
    help: 'gifts frames emitted, by audience',
    labelNames: ['audience'],
    registers: [ctx.metrics],
  });

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [streamId, accepted] of pending) {
      accepted.sort((a, b) => a.seq - b.seq);
      const items = accepted.map((a) => a.gift);
      const folded = foldFrame(streamId, items, ctx.config.frameLimit, isBigGift);
      if (folded.items === items) {
        ctx.io.to([creatorRoom(streamId), watcherRoom(streamId)]).emit('gifts', { streamId, items });
        frames.inc({ audience: 'all' });
      } else {
        ctx.io.to(creatorRoom(streamId)).emit('gifts', { streamId, items });
        ctx.io.to(watcherRoom(streamId)).emit('gifts', folded);
        frames.inc({ audience: 'creator' });
        frames.inc({ audience: 'watchers' });
      }
      ctx.events.emit('gifts:broadcast', accepted);
    }
    pending.clear();
  }

  const onAccepted = (a: AcceptedGift) => {
    const list = pending.get(a.gift.streamId);
    if (list) list.push(a);
    else pending.set(a.gift.streamId, [a]);
    timer ??= setTimeout(flush, ctx.config.frameTickMs);
  };
  ctx.events.on('gift:accepted', onAccepted);
  ctx.onClose(() => {
    ctx.events.off('gift:accepted', onAccepted);
    if (timer) clearTimeout(timer);
    timer = null;
  });
  return { flush };
}
