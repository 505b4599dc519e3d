import { Samples } from '../lib/stats';
import type { Interval } from '../lib/protocol';

/** What an agent measured since its last report; drained into one Interval per second. */
export class Meter {
  sent = 0;
  late = 0;
  maxLateMs = 0;
  acceptedCount = 0;
  rejected: Record<string, number> = {};
  readonly ackMs = new Samples();
  readonly ackFromDueMs = new Samples();
  readonly screenMs = new Samples();
  readonly creatorScreenMs = new Samples();
  frames = 0;
  bytes = 0;
  items = 0;
  restGifts = 0;
  disconnects = 0;

  reject(code: string): void {
    this.rejected[code] = (this.rejected[code] ?? 0) + 1;
  }

  drain(sec: number, live: { watchersConnected: number; sendersConnected: number; pendingAcks: number }): Interval {
    const interval: Interval = {
      sec,
      sent: this.sent,
      late: this.late,
      maxLateMs: this.maxLateMs,
      acceptedCount: this.acceptedCount,
      rejected: this.rejected,
      ackMs: this.ackMs.drain(),
      ackFromDueMs: this.ackFromDueMs.drain(),
      screenMs: this.screenMs.drain(),
      creatorScreenMs: this.creatorScreenMs.drain(),
      frames: this.frames,
      bytes: this.bytes,
      items: this.items,
      restGifts: this.restGifts,
      disconnects: this.disconnects,
      ...live,
    };
    this.sent = this.late = this.maxLateMs = this.acceptedCount = 0;
    this.frames = this.bytes = this.items = this.restGifts = this.disconnects = 0;
    this.rejected = {};
    return interval;
  }
}
