import { createLogger } from '../../../shared/logger';
import { waitFor } from '../../../shared/testing/harness';
import { throttledPush, type PushOne } from '../../realtime/throttled-push';

/**
 * The one loop behind the leaderboard, viewers and battle:update pushes, on real timers: what each room hears and
 * when. The stories of those pushes through real sockets are in leaderboards, rooms and battle tests; this one
 * pins the loop's own promises.
 */
function loop(push: PushOne) {
  const cleanups: Array<() => Promise<void> | void> = [];
  const ctx = { log: createLogger('silent', 'test'), onClose: (fn: () => Promise<void> | void) => cleanups.push(fn) };
  const pushes = throttledPush(ctx, 'test', push);
  return {
    pushes,
    async close() {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('room updates go out through one throttled loop', () => {
  it('a burst of changes to a key is pushed once, after the delay', async () => {
    const pushed: string[] = [];
    const { pushes, close } = loop(async (key) => {
      pushed.push(key);
      return null;
    });
    for (let i = 0; i < 50; i++) pushes.mark('stream-a', 30);
    pushes.mark('stream-b', 30);
    expect(pushed).toEqual([]);
    await waitFor(
      () => pushed.length,
      (n) => n === 2,
    );
    await sleep(60);
    expect(pushed.sort()).toEqual(['stream-a', 'stream-b']);
    await close();
  });

  it('a key the gate holds back is pushed again when the gate allows', async () => {
    const at: number[] = [];
    const start = Date.now();
    const { pushes, close } = loop(async () => {
      at.push(Date.now() - start);
      return at.length === 1 ? 80 : null;
    });
    pushes.mark('stream-a', 0);
    await waitFor(
      () => at.length,
      (n) => n === 2,
    );
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(70);
    await close();
  });

  it('flushes never overlap: a change during a slow push waits for the next flush', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const { pushes, close } = loop(async () => {
      calls += 1;
      running += 1;
      most = Math.max(most, running);
      await sleep(60);
      running -= 1;
      return null;
    });
    pushes.mark('stream-a', 0);
    await waitFor(
      () => calls,
      (n) => n === 1,
    );
    pushes.mark('stream-a', 0); // while the first push is still running
    await waitFor(
      () => calls,
      (n) => n === 2,
    );
    expect(most).toBe(1);
    await close();
  });

  it('closing waits for the push under way, and nothing is pushed after', async () => {
    const emitted: string[] = [];
    let finished = 0;
    const { pushes, close } = loop(async (key, open) => {
      await sleep(50);
      if (open()) emitted.push(key);
      finished += 1;
      return null;
    });
    pushes.mark('stream-a', 0);
    await sleep(10); // the push is under way
    pushes.mark('stream-b', 0);
    await close();
    expect(finished).toBe(1);
    expect(emitted).toEqual([]);
    pushes.mark('stream-c', 0);
    await sleep(80);
    expect(emitted).toEqual([]);
    expect(finished).toBe(1);
  });
});
