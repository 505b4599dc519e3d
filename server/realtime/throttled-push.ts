import type { ServerContext } from '../context';

/**
 * Pushes one key's update (a stream's leaderboard, a stream's viewers, a battle). Answers null when done, or the ms
 * after which the key must be tried again (the push gate said another process pushed too recently). `open()` is
 * false once the server is closing: nothing may be emitted then.
 */
export type PushOne = (key: string, open: () => boolean) => Promise<number | null>;

export interface ThrottledPush {
  /** The key changed: it is pushed by a flush at most `delayMs` from now (sooner if one is already due). */
  mark(key: string, delayMs: number): void;
}

/**
 * The one throttled-push loop of the server's room updates: marked keys collect in a set, one timer flushes them
 * all, flushes never overlap (marks during a flush wait for the next one), a key whose push must wait is retried
 * when the gate allows, and on close a flush under way finishes before the adapter's connections close (cleanups
 * run in reverse order). What a flush emits for a state that supersedes itself goes through latest-state.ts
 * (`latestState(ctx).push`), so a socket that is behind keeps only the newest state instead of a queue.
 */
export function throttledPush(ctx: Pick<ServerContext, 'log' | 'onClose'>, what: string, push: PushOne): ThrottledPush {
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let nextDelay = Infinity;
  let closed = false;
  const open = () => !closed;

  function schedule(delayMs: number): void {
    if (closed || timer) return;
    if (inFlight) {
      nextDelay = Math.min(nextDelay, delayMs);
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      inFlight = flush().finally(() => {
        inFlight = null;
        const delay = nextDelay;
        nextDelay = Infinity;
        if (delay !== Infinity && dirty.size > 0) schedule(delay);
      });
    }, delayMs);
  }

  async function flush(): Promise<void> {
    const keys = [...dirty];
    dirty.clear();
    await Promise.all(
      keys.map(async (key) => {
        try {
          const retryInMs = await push(key, open);
          if (retryInMs === null) return;
          dirty.add(key);
          nextDelay = Math.min(nextDelay, Math.max(10, retryInMs));
        } catch (err) {
          if (!closed) ctx.log.warn({ err, key }, `${what} push failed`);
        }
      }),
    );
  }

  ctx.onClose(async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    await inFlight;
  });

  return {
    mark(key, delayMs) {
      if (closed) return;
      dirty.add(key);
      schedule(delayMs);
    },
  };
}
