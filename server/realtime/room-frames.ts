import type { Counter } from 'prom-client';
import { creatorRoom, watcherRoom } from '../../shared/contracts/rooms';
import type { GiftEvent } from '../../shared/contracts/models';
import { findGift } from '../../shared/domain/catalog';
import type { ServerContext } from '../context';
import { foldFrame } from './frames';

/** A gift and its place in its room's order (the room's own counter). */
export interface SequencedGift {
  gift: GiftEvent;
  seq: number;
}

/** Large and epic gifts are the moments a stream is about: they are never summed into `rest`. */
export function isBigGift(g: GiftEvent): boolean {
  const tier = findGift(g.giftId)?.tier;
  return tier === 'large' || tier === 'epic';
}

interface WatcherWindow {
  /** Gifts that reached this process since the watchers' last frame, from any process. */
  pending: SequencedGift[];
  /** When the last watchers' frame went out (performance.now()). */
  sentAt: number;
  /** Runs one frame interval after the last watchers' frame: the next frame, or forgetting the room. */
  timer: NodeJS.Timeout;
  /** What waits to go out with the next frame (alongNextFrame). */
  along: Array<() => void>;
}

/** The longest alongNextFrame holds anything back: well inside every deadline of what it carries. */
const ALONG_MAX_WAIT_MS = 100;

export interface RoomFrames {
  /** Gifts of one stream (accepted here or relayed from another process) for this process's own sockets. */
  deliver(streamId: string, gifts: SequencedGift[]): void;
  /**
   * Runs `fn` right before this process's next watchers' frame of the stream (or when that room goes quiet), so
   * what `fn` emits to the stream's sockets leaves with the frame, one write per socket (socket-writes.ts); at once
   * when no such frame is due within ALONG_MAX_WAIT_MS.
   */
  alongNextFrame(streamId: string, fn: () => void): void;
}

/**
 * This process's frames to its own sockets (io.local: nothing goes through the adapter). The creator's room gets
 * every batch as it comes, unfolded. The watchers' room gets at most WATCHER_FRAMES_PER_SEC frames a second: a
 * batch that finds the room idle goes out at once; what arrives within one frame interval of a watchers' frame
 * waits for the end of that interval and goes out as one frame folded to FRAME_LIMIT (frames.ts), so no coin is
 * lost, only detail. Each frame is one emit to a room, so Socket.io encodes it once for all its sockets; when the
 * watchers' frame equals the creator's, one emit reaches both rooms.
 */
export function roomFrames(ctx: ServerContext, frames: Counter<'audience'>): RoomFrames {
  const windows = new Map<string, WatcherWindow>();
  const intervalMs = Math.ceil(1000 / ctx.config.watcherFramesPerSec);
  const hasLocal = (room: string) => (ctx.io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  let closed = false;

  function runAlong(window: WatcherWindow): void {
    const along = window.along;
    window.along = [];
    for (const fn of along) fn();
  }

  function emitWatchers(streamId: string, window: WatcherWindow, creatorItems: GiftEvent[] | null): void {
    const gifts = window.pending.sort((a, b) => a.seq - b.seq);
    window.pending = [];
    const items = gifts.map((g) => g.gift);
    const frame = foldFrame(streamId, items, ctx.config.frameLimit, isBigGift);
    window.sentAt = performance.now();
    // a fresh window holds exactly the creator's batch: unfolded, it is the same frame
    if (creatorItems && frame.items === items && items.length === creatorItems.length) {
      ctx.io.local.to([creatorRoom(streamId), watcherRoom(streamId)]).emit('gifts', frame);
      frames.inc({ audience: 'all' });
    } else {
      if (creatorItems) emitCreator(streamId, creatorItems);
      ctx.io.local.to(watcherRoom(streamId)).emit('gifts', frame);
      frames.inc({ audience: 'watchers' });
    }
  }

  function emitCreator(streamId: string, items: GiftEvent[]): void {
    ctx.io.local.to(creatorRoom(streamId)).emit('gifts', { streamId, items });
    frames.inc({ audience: 'creator' });
  }

  function openWindow(streamId: string, pending: SequencedGift[]): WatcherWindow {
    const window: WatcherWindow = { pending, sentAt: 0, timer: setTimeout(next, intervalMs), along: [] };
    function next(): void {
      // timers may fire a millisecond early: the gap between two frames is never below the interval
      const early = window.sentAt + intervalMs - performance.now();
      if (early > 0) {
        window.timer = setTimeout(next, Math.ceil(early));
        return;
      }
      runAlong(window);
      if (window.pending.length === 0 || !hasLocal(watcherRoom(streamId))) {
        windows.delete(streamId);
        return;
      }
      emitWatchers(streamId, window, null);
      window.timer = setTimeout(next, intervalMs);
    }
    windows.set(streamId, window);
    return window;
  }

  ctx.onClose(() => {
    closed = true;
    for (const w of windows.values()) {
      clearTimeout(w.timer);
      runAlong(w);
    }
    windows.clear();
  });

  return {
    deliver(streamId, gifts) {
      if (gifts.length === 0) return;
      const sorted = [...gifts].sort((a, b) => a.seq - b.seq);
      const creatorItems = hasLocal(creatorRoom(streamId)) ? sorted.map((g) => g.gift) : null;
      const open = windows.get(streamId);
      if (open) {
        open.pending.push(...sorted);
        if (creatorItems) emitCreator(streamId, creatorItems);
      } else if (hasLocal(watcherRoom(streamId))) {
        const window = openWindow(streamId, sorted);
        emitWatchers(streamId, window, creatorItems);
      } else if (creatorItems) {
        emitCreator(streamId, creatorItems);
      }
    },
    alongNextFrame(streamId, fn) {
      const open = windows.get(streamId);
      if (closed || !open || open.sentAt + intervalMs - performance.now() > ALONG_MAX_WAIT_MS) fn();
      else open.along.push(fn);
    },
  };
}
