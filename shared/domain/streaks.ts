import type { StreakEnded } from '../contracts/models';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';

/**
 * Streak ends (docs/ARCHITECTURE.md, "Streak ends"). A gift's room phase keeps its streak's state and deadline in
 * the stream's slot (lua/lib/streak.lua); any server process's poller claims due streaks there
 * (lua/streak-claim-3.lua), each exactly once, and announces `streak:ended`. The pollers find the streams through
 * the platform set `streakStreams`, which a stream joins before its first room phase writes a deadline.
 */

/** Streams this process has put in `streakStreams` (by full key, so that test prefixes never share an entry). */
const indexed = new Set<string>();
const MAX_INDEXED = 10_000;

/**
 * Puts a stream in the pollers' set before a room phase may write its first deadline: SADD is idempotent, and an
 * entry is only ever removed once its stream has ended (its room phase then refuses every gift), so one SADD per
 * stream and process is enough.
 */
export async function indexStreakStream(deps: Deps, streamId: string): Promise<void> {
  const key = `${deps.keys.streakStreams}|${streamId}`;
  if (indexed.has(key)) return;
  await deps.redis.sadd(deps.keys.streakStreams, streamId);
  if (indexed.size >= MAX_INDEXED) indexed.delete(indexed.values().next().value!);
  indexed.add(key);
}

/** How many due streaks one claim takes from one stream (the next poll takes the rest). */
const CLAIM_BATCH = 100;

interface StoredStreak {
  senderId: string;
  senderName: string;
  giftId: string;
  giftName: string;
  combo: string;
  totalCoins: string;
  firstAt: string;
  lastAt: string;
}

/**
 * Takes one stream's due streaks (each returned to exactly one caller, ever). A stream that has ended and has no
 * deadline left leaves the pollers' set: nothing can add one any more.
 */
export interface ClaimedStreaks {
  ended: StreakEnded[];
  /** Ms from now (Redis's clock) to the stream's earliest deadline left; null when none is left. */
  nextInMs: number | null;
}

export async function claimDueStreaks(deps: Deps, streamId: string): Promise<ClaimedStreaks> {
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'streakClaim')(
      k.streaks(streamId),
      k.streaksDue(streamId),
      k.stream(streamId),
      CLAIM_BATCH,
    ),
  );
  const [left, live, next, ...states] = r.payload as string[];
  if (Number(left) === 0 && live !== '1') await deps.redis.srem(k.streakStreams, streamId);
  return {
    ended: states.map((raw) => streakEnded(streamId, JSON.parse(raw) as StoredStreak)),
    nextInMs: next ? Number(next) : null,
  };
}

function streakEnded(streamId: string, s: StoredStreak): StreakEnded {
  return {
    streamId,
    sender: { id: s.senderId, displayName: s.senderName },
    giftId: s.giftId,
    giftName: s.giftName,
    combo: Number(s.combo),
    totalCoins: Number(s.totalCoins),
    firstAt: Number(s.firstAt),
    lastAt: Number(s.lastAt),
  };
}

/** The streams the pollers look at. */
export async function streakStreams(deps: Deps): Promise<string[]> {
  return deps.redis.smembers(deps.keys.streakStreams);
}
