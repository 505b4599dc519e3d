import { startStreakPoller } from '../../shared/runtime/streak-poller';
import type { Announce } from '../../shared/usecases/announce';
import type { ServerContext } from '../context';
import type { RoomFrames } from './room-frames';

/**
 * Every server process polls for due streaks and announces their ends (shared/runtime/streak-poller.ts). In a gift
 * war a stream's streaks end by the dozen a second: each `streak:ended` a poll claims goes out with the stream's
 * next watchers' frame from this process (at most 100 ms on, well inside its one-second deadline), so a watcher
 * gets both in one write rather than one write each (room-frames.ts alongNextFrame).
 */
export function startStreakEnds(ctx: ServerContext, frames: RoomFrames): void {
  const announce: Announce = (rooms, event, ...args) => {
    const streak = event === 'streak:ended' ? (args[0] as { streamId?: unknown }) : null;
    if (typeof streak?.streamId !== 'string') return ctx.announce(rooms, event, ...args);
    frames.alongNextFrame(streak.streamId, () => ctx.announce(rooms, event, ...args));
  };
  const stop = startStreakPoller({ ...ctx, announce });
  ctx.onClose(stop);
}
