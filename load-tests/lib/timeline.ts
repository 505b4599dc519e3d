import type { Interval } from './protocol';
import { Samples, summarize, type Summary } from './stats';

/** The agents' intervals merged second by second (second 0 starts at t0, when the gift clock starts). */
export interface Second {
  sec: number;
  sent: number;
  late: number;
  maxLateMs: number;
  accepted: number;
  rejected: Record<string, number>;
  ackMs: Samples;
  ackFromDueMs: Samples;
  screenMs: Samples;
  creatorScreenMs: Samples;
  frames: number;
  bytes: number;
  items: number;
  parsedFrames: number;
  restGifts: number;
  watchers: number;
  senders: number;
  disconnects: number;
  pendingAcks: number;
  agentsReported: number;
  /** Latest socket counts per agent in this second (an agent may report twice in its last second). */
  byAgent: Map<number, { watchers: number; senders: number; pendingAcks: number }>;
}

/** A second reduced to numbers (what the charts and the JSON keep). */
export interface SecondRow {
  sec: number;
  sent: number;
  late: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  ack: Summary;
  screen: Summary;
  creatorScreen: Summary;
  framesPerWatcher: number;
  bytesPerWatcher: number;
  watchers: number;
  disconnects: number;
}

export class Timeline {
  private readonly seconds = new Map<number, Second>();
  /** Sockets connected, from the latest interval of each agent (setup progress). */
  private readonly live = new Map<number, { watchers: number; senders: number; sec: number }>();
  totalSent = 0;
  totalAccepted = 0;
  totalRejected = 0;

  add(agent: number, iv: Interval): void {
    this.live.set(agent, { watchers: iv.watchersConnected, senders: iv.sendersConnected, sec: iv.sec });
    const rejected = Object.values(iv.rejected).reduce((s, n) => s + n, 0);
    this.totalSent += iv.sent;
    this.totalAccepted += iv.acceptedCount;
    this.totalRejected += rejected;
    const s = this.second(iv.sec);
    s.sent += iv.sent;
    s.late += iv.late;
    s.maxLateMs = Math.max(s.maxLateMs, iv.maxLateMs);
    s.accepted += iv.acceptedCount;
    for (const [code, n] of Object.entries(iv.rejected)) s.rejected[code] = (s.rejected[code] ?? 0) + n;
    for (const kind of ['ackMs', 'ackFromDueMs', 'screenMs', 'creatorScreenMs'] as const) {
      const { ms, sec } = iv[kind];
      for (let i = 0; i < ms.length; i++) this.second(sec[i]!)[kind].push(ms[i]!);
    }
    s.frames += iv.frames;
    s.bytes += iv.bytes;
    s.items += iv.items;
    s.parsedFrames += iv.parsedFrames;
    s.restGifts += iv.restGifts;
    // Setup (sec -1) intervals accumulate into second 0's traffic, but not its socket counts.
    if (iv.sec >= 0) {
      s.byAgent.set(agent, {
        watchers: iv.watchersConnected,
        senders: iv.sendersConnected,
        pendingAcks: iv.pendingAcks,
      });
      s.watchers = s.senders = s.pendingAcks = 0;
      for (const a of s.byAgent.values()) {
        s.watchers += a.watchers;
        s.senders += a.senders;
        s.pendingAcks += a.pendingAcks;
      }
      s.agentsReported = s.byAgent.size;
    }
    s.disconnects += iv.disconnects;
  }

  private second(at: number): Second {
    const sec = Math.max(0, at);
    let s = this.seconds.get(sec);
    if (!s) {
      s = {
        sec,
        sent: 0,
        late: 0,
        maxLateMs: 0,
        accepted: 0,
        rejected: {},
        ackMs: new Samples(),
        ackFromDueMs: new Samples(),
        screenMs: new Samples(),
        creatorScreenMs: new Samples(),
        frames: 0,
        bytes: 0,
        items: 0,
        parsedFrames: 0,
        restGifts: 0,
        watchers: 0,
        senders: 0,
        disconnects: 0,
        pendingAcks: 0,
        agentsReported: 0,
        byAgent: new Map(),
      };
      this.seconds.set(sec, s);
    }
    return s;
  }

  connected(): { watchers: number; senders: number } {
    let watchers = 0;
    let senders = 0;
    for (const l of this.live.values()) {
      watchers += l.watchers;
      senders += l.senders;
    }
    return { watchers, senders };
  }

  /** The latest second every agent has reported. */
  lastComplete(agents: number): Second | undefined {
    const secs = [...this.seconds.values()].filter((s) => s.agentsReported >= agents).sort((a, b) => b.sec - a.sec);
    return secs[0];
  }

  all(): Second[] {
    return [...this.seconds.values()].sort((a, b) => a.sec - b.sec);
  }

  rows(): SecondRow[] {
    return this.all().map((s) => ({
      sec: s.sec,
      sent: s.sent,
      late: s.late,
      accepted: s.accepted,
      rejected: Object.values(s.rejected).reduce((a, n) => a + n, 0),
      rejectedByCode: s.rejected,
      ack: summarize(s.ackMs.toArray()),
      screen: summarize(s.screenMs.toArray()),
      creatorScreen: summarize(s.creatorScreenMs.toArray()),
      framesPerWatcher: s.watchers > 0 ? s.frames / s.watchers : 0,
      bytesPerWatcher: s.watchers > 0 ? s.bytes / s.watchers : 0,
      watchers: s.watchers,
      disconnects: s.disconnects,
    }));
  }

  /** Every sample of one kind over the seconds in [fromSec, toSec). */
  collect(
    kind: 'ackMs' | 'ackFromDueMs' | 'screenMs' | 'creatorScreenMs',
    fromSec: number,
    toSec: number,
  ): Float64Array {
    const parts = this.all()
      .filter((s) => s.sec >= fromSec && s.sec < toSec)
      .map((s) => s[kind].toArray());
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
