import { TimedSamples } from '../lib/stats';
import type { Interval } from '../lib/protocol';

/** What an agent measured in one second of the run. */
export class Bucket {
  sent = 0;
  late = 0;
  maxLateMs = 0;
  acceptedCount = 0;
  rejected: Record<string, number> = {};
  /** Filed under the second the gift was sent. */
  readonly ackMs = new TimedSamples();
  readonly ackFromDueMs = new TimedSamples();
  /** Filed under the second the gift was accepted (its `at`). */
  readonly screenMs = new TimedSamples();
  readonly creatorScreenMs = new TimedSamples();
  frames = 0;
  bytes = 0;
  items = 0;
  /** Frames decoded by parsing watchers (items and restGifts are counted on these). */
  parsedFrames = 0;
  restGifts = 0;
  disconnects = 0;

  reject(code: string): void {
    this.rejected[code] = (this.rejected[code] ?? 0) + 1;
  }
}

/**
 * An agent's measurements, bucketed by the second in which each event happened (not by when the agent got round
 * to reporting it): a starved agent reports late, but its seconds stay right. Second -1 is the setup.
 */
export class Meter {
  private t0 = 0;
  private readonly buckets = new Map<number, Bucket>();
  private cur: Bucket | undefined;
  private curUntil = 0;

  /** Starts the run's clock (epoch ms of second 0). */
  start(t0: number): void {
    this.t0 = t0;
    this.cur = undefined;
    this.curUntil = 0;
  }

  secondOf(now: number): number {
    return this.t0 === 0 ? -1 : Math.max(-1, Math.floor((now - this.t0) / 1000));
  }

  /** The bucket of the current second. */
  now(now = Date.now()): Bucket {
    if (this.cur && now < this.curUntil) return this.cur;
    const sec = this.secondOf(now);
    let b = this.buckets.get(sec);
    if (!b) {
      b = new Bucket();
      this.buckets.set(sec, b);
    }
    this.cur = b;
    this.curUntil = this.t0 === 0 || sec < 0 ? Math.min(now + 50, this.t0 || Infinity) : this.t0 + (sec + 1) * 1000;
    return b;
  }

  /** Intervals of every finished second (every second when `all`), oldest first. */
  drain(live: { watchersConnected: number; sendersConnected: number; pendingAcks: number }, all = false): Interval[] {
    const current = this.secondOf(Date.now());
    const out: Interval[] = [];
    for (const sec of [...this.buckets.keys()].sort((a, b) => a - b)) {
      if (!all && sec >= current && sec !== -1) continue;
      const b = this.buckets.get(sec)!;
      this.buckets.delete(sec);
      if (this.cur === b) this.cur = undefined;
      out.push({
        sec,
        sent: b.sent,
        late: b.late,
        maxLateMs: b.maxLateMs,
        acceptedCount: b.acceptedCount,
        rejected: b.rejected,
        ackMs: b.ackMs.toArrays(),
        ackFromDueMs: b.ackFromDueMs.toArrays(),
        screenMs: b.screenMs.toArrays(),
        creatorScreenMs: b.creatorScreenMs.toArrays(),
        frames: b.frames,
        bytes: b.bytes,
        items: b.items,
        parsedFrames: b.parsedFrames,
        restGifts: b.restGifts,
        disconnects: b.disconnects,
        ...live,
      });
    }
    return out;
  }
}
