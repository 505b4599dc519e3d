import type { StreakEnded } from '../../shared/contracts/models';
import { startStreakPoller } from '../../shared/runtime/streak-poller';
import type { Announce } from '../../shared/usecases/announce';
import type { ServerContext } from '../context';
import type { RoomFrames } from './room-frames';

/**
 * Every server process polls for due streaks and announces their ends (shared/runtime/streak-poller.ts). In a gift
 * war a stream's streaks end by the dozen a second, so a `streak:ended` is not a room emit of its own: the process
 * that claimed it relays it to the others (`streak:relay`), and each process emits it to its own sockets with the
 * stream's next watchers' frame (room-frames.ts alongNextFrame: at most 100 ms on, well inside the one-second
 * deadline), so a watcher gets both in one write. Each process emits it once to its sockets: once per socket.
 */
export function startStreakEnds(ctx: ServerContext, frames: RoomFrames): void {
  const deliver = (rooms: string[], streak: StreakEnded) =>
    frames.alongNextFrame(streak.streamId, () => ctx.io.local.to(rooms).emit('streak:ended', streak));
  const announce: Announce = (rooms, event, ...args) => {
    if (event !== 'streak:ended') return ctx.announce(rooms, event, ...args);
    const streak = args[0] as StreakEnded;
    const to = typeof rooms === 'string' ? [rooms] : rooms;
    ctx.io.serverSideEmit('streak:relay', to, streak);
    deliver(to, streak);
  };
  ctx.io.on('streak:relay', deliver);
  const stop = startStreakPoller({ ...ctx, announce });
  ctx.onClose(async () => {
    await stop();
    ctx.io.off('streak:relay', deliver);
  });
}
