import { Counter } from 'prom-client';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import type { RelayedGifts, ServerContext } from '../context';
import { roomFrames, type RoomFrames } from './room-frames';

export { isBigGift } from './room-frames';

/**
 * The broadcaster: gifts accepted by this process within one FRAME_TICK_MS tick (the first gift opens the tick)
 * are, per stream and in acceptance order, handed to this process's own sockets (room-frames.ts) and relayed once
 * to every other server process (io.serverSideEmit through the Redis adapter), which hands them to its own sockets
 * the same way. So every process sees every gift of its rooms and emits only to its local sockets: a watcher's
 * frame budget holds per socket however many processes accept gifts for its stream (docs/ARCHITECTURE.md).
 */
export function startBroadcaster(ctx: ServerContext): { flush(): void; frames: RoomFrames } {
  const pending = new Map<string, AcceptedGift[]>();
  let timer: NodeJS.Timeout | null = null;
  const frames = new Counter({
    name: 'giftwire_gift_frames_total',
    help: 'gifts frames emitted by this process to its own sockets, by audience',
    labelNames: ['audience'],
    registers: [ctx.metrics],
  });
  const local = roomFrames(ctx, frames);

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const [streamId, accepted] of pending) {
      accepted.sort((a, b) => a.seq - b.seq);
      const batch: RelayedGifts = { streamId, gifts: accepted.map((a) => ({ gift: a.gift, seq: a.seq })) };
      ctx.io.serverSideEmit('gifts:relay', batch);
      local.deliver(streamId, batch.gifts);
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
  const onRelayed = (batch: RelayedGifts) => local.deliver(batch.streamId, batch.gifts);
  ctx.events.on('gift:accepted', onAccepted);
  ctx.io.on('gifts:relay', onRelayed);
  ctx.onClose(() => {
    ctx.events.off('gift:accepted', onAccepted);
    ctx.io.off('gifts:relay', onRelayed);
    if (timer) clearTimeout(timer);
    timer = null;
  });
  return { flush, frames: local };
}
