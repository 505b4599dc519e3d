import { streamRoom } from '../contracts/rooms';
import { claimDueStreaks, streakStreams } from '../domain/streaks';
import type { AnnouncingDeps } from '../usecases/context';

/** How often each process looks for due streaks (with ±25 % jitter, so that processes do not poll in step). */
export const STREAK_POLL_MS = 200;
/** How many streams one poll claims from at once. */
const CONCURRENCY = 32;
/** Streams whose next look is remembered (forgetting them only costs a look). */
const MAX_SKIPS = 100_000;

/**
 * The streak poller: every server process runs one, so a streak's end is announced whichever process accepted its
 * gifts, even one that has died since. Each due streak is claimed by exactly one poller (lua/streak-claim-3.lua)
 * and announced to its stream's room; a deadline is at most one poll (plus a claim) late. Returns stop(), which
 * waits for a poll under way.
 */
export function startStreakPoller(deps: AnnouncingDeps, everyMs = STREAK_POLL_MS): () => Promise<void> {
  // A stream looked at now has nothing due before its earliest deadline left, and a streak that starts after this
  // look is due no sooner than about STREAK_GAP_MS later: it can be skipped until the sooner of the two. The room
  // phase may run a little after its gift's `at`, so the skip keeps a margin (at most half the gap).
  const quietMs = Math.max(0, Math.min(deps.config.streakGapMs / 2, deps.config.streakGapMs - 500));
  const skipUntil = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const next = () => {
    if (stopped) return;
    timer = setTimeout(tick, everyMs * (0.75 + Math.random() * 0.5));
  };
  const tick = () => {
    timer = null;
    running = poll()
      .catch((err: unknown) => {
        if (!stopped) deps.log.warn({ err }, 'streak poll failed');
      })
      .finally(() => {
        running = null;
        next();
      });
  };

  async function poll(): Promise<void> {
    const now = Date.now();
    const streams = (await streakStreams(deps)).filter((sid) => (skipUntil.get(sid) ?? 0) <= now);
    for (let i = 0; i < streams.length && !stopped; i += CONCURRENCY) {
      await Promise.all(
        streams.slice(i, i + CONCURRENCY).map(async (streamId) => {
          const looked = Date.now();
          const { ended, nextInMs } = await claimDueStreaks(deps, streamId);
          // claimed is claimed: a stopping process still announces what it took, or no one ever will
          for (const streak of ended) deps.announce(streamRoom(streamId), 'streak:ended', streak);
          // both delays are measured from the claim (Redis's clock), so a process clock that is off does not matter
          skipUntil.set(streamId, looked + Math.min(nextInMs ?? Infinity, quietMs));
        }),
      );
    }
    if (skipUntil.size > MAX_SKIPS) skipUntil.clear();
  }

  next();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
