import type { GiftTier } from '../../../../shared/contracts/catalog';
import type { GiftEvent } from '../../../../shared/contracts/models';

/*
 * The overlay's alert queue: medium and bigger gifts play one after another, each for a time set by its tier.
 * It never falls minutes behind in a gift war:
 *   1. a gift joins a queued alert of the same sender and gift (counts add up, as a streak would);
 *   2. when the backlog grows past `targetBacklogMs`, alerts play faster (down to `minDurationMs`, up to
 *      `maxSpeed` times faster), including the one on screen;
 *   3. when even that would leave more than `maxBacklogMs` waiting, the least valuable waiting gifts (the newest
 *      among equals) are folded into one summary alert per tier ("52 gifts · 31,000 coins", with its top senders)
 *      until the rest fits: the biggest gifts and the earliest senders keep their own alerts.
 * Nothing is dropped: every gift is either played or counted in a summary. Pure logic, driven by the caller's
 * clock, so it can be tested without a browser.
 */

export interface AlertSender {
  id: string;
  displayName: string;
}

interface AlertBase {
  /** Local sequence number: a DOM key. */
  id: number;
  tier: GiftTier;
  /** Gift events in this alert. */
  gifts: number;
  /** Units (a gift of count 5 is 5 units). */
  count: number;
  totalCoins: number;
  /** When the first of its gifts was queued (caller's clock). */
  queuedAt: number;
}

/** How one alert differs from its tier's standard: a creator's variation, or a test from the studio. */
export interface AlertStyle {
  /** Plays this many times longer than the tier's standard. */
  scale?: number;
  /** Marked on screen as a test: no money moved. */
  test?: boolean;
  message?: string;
  color?: string;
}

export interface GiftAlert extends AlertBase {
  kind: 'gift';
  style: AlertStyle;
  giftId: string;
  giftName: string;
  sender: AlertSender;
  /** The largest streak count (GiftEvent.combo) among its gifts. */
  combo: number;
}

export interface SummaryAlert extends AlertBase {
  kind: 'summary';
  /** Top senders by coins in this summary (at most 3); empty for gifts summed by the server (`rest`). */
  top: Array<{ displayName: string; coins: number }>;
  /** Coins by sender id, to compute `top` as more gifts are folded in. */
  bySender: Map<string, { displayName: string; coins: number }>;
}

export type Alert = GiftAlert | SummaryAlert;

export interface Playing {
  alert: Alert;
  startedAt: number;
  endsAt: number;
}

export interface AlertQueueOptions {
  /** How long an alert of each tier plays at normal speed. */
  durationMs: Record<GiftTier, number>;
  /** No alert is cut shorter than this, however long the queue. */
  minDurationMs: number;
  /** Alerts play faster once more than this waits behind the one on screen (speed = waiting / target). */
  targetBacklogMs: number;
  /** The longest the waiting alerts may take to play out; past it, the least valuable ones are folded. */
  maxBacklogMs: number;
  maxSpeed: number;
}

export const DEFAULT_ALERT_OPTIONS: AlertQueueOptions = {
  durationMs: { small: 1500, medium: 3000, large: 5000, epic: 8000 },
  minDurationMs: 900,
  targetBacklogMs: 5000,
  maxBacklogMs: 25_000,
  maxSpeed: 4,
};

export const TIER_RANK: Record<GiftTier, number> = { small: 0, medium: 1, large: 2, epic: 3 };

export class AlertQueue {
  private readonly queue: Alert[] = [];
  private playing: Playing | null = null;
  private seq = 0;
  private readonly opts: AlertQueueOptions;

  constructor(opts: Partial<AlertQueueOptions> = {}) {
    this.opts = { ...DEFAULT_ALERT_OPTIONS, ...opts };
  }

  /** Alerts waiting (not the one on screen). */
  get waiting(): readonly Alert[] {
    return this.queue;
  }

  get current(): Playing | null {
    return this.playing;
  }

  pushGift(g: GiftEvent, tier: GiftTier, now: number, style: AlertStyle = {}): void {
    const same = this.queue.find(
      (a): a is GiftAlert =>
        a.kind === 'gift' && a.sender.id === g.sender.id && a.giftId === g.giftId && !a.style.test === !style.test,
    );
    if (same) {
      same.gifts += 1;
      same.count += g.count;
      same.totalCoins += g.totalCoins;
      same.combo = Math.max(same.combo, g.combo);
    } else {
      this.queue.push({
        kind: 'gift',
        id: ++this.seq,
        tier,
        gifts: 1,
        count: g.count,
        totalCoins: g.totalCoins,
        queuedAt: now,
        giftId: g.giftId,
        giftName: g.giftName,
        sender: { id: g.sender.id, displayName: g.sender.displayName },
        combo: g.combo,
        style,
      });
    }
    this.bound();
  }

  /** Gifts already summed by the server (a frame's `rest`). */
  pushSummary(gifts: number, coins: number, tier: GiftTier, now: number): void {
    let s = this.queue.find((a): a is SummaryAlert => a.kind === 'summary' && a.tier === tier);
    if (!s) {
      s = {
        kind: 'summary',
        id: ++this.seq,
        tier,
        gifts: 0,
        count: 0,
        totalCoins: 0,
        queuedAt: now,
        top: [],
        bySender: new Map(),
      };
      this.queue.push(s);
    }
    s.gifts += gifts;
    s.count += gifts;
    s.totalCoins += coins;
    this.bound();
  }

  /** Time the queue needs at normal speed: the rest of the alert on screen plus every waiting alert. */
  backlogMs(now: number): number {
    const rest = this.playing ? Math.max(0, this.playing.endsAt - now) : 0;
    return rest + this.queue.reduce((t, a) => t + this.baseMs(a), 0);
  }

  /** How much faster than normal alerts play now (1 = normal): decided by what waits behind the one on screen. */
  speed(): number {
    return this.speedFor(this.queue.reduce((t, a) => t + this.baseMs(a), 0));
  }

  private speedFor(waitingMs: number): number {
    return Math.min(this.opts.maxSpeed, Math.max(1, waitingMs / this.opts.targetBacklogMs));
  }

  /** How long the waiting alerts take to play out if nothing else arrives (the speed falls as the queue drains). */
  drainMs(): number {
    let waiting = this.queue.reduce((t, a) => t + this.baseMs(a), 0);
    let t = 0;
    for (const a of this.queue) {
      waiting -= this.baseMs(a);
      t += Math.max(this.opts.minDurationMs, this.baseMs(a) / this.speedFor(waiting));
    }
    return t;
  }

  /** Advances to `now`: ends the alert on screen when its time is up and starts the next. */
  tick(now: number): Playing | null {
    const p = this.playing;
    if (p) {
      // A growing queue shortens the alert on screen too (never below the minimum, never lengthens it).
      const allowed = p.startedAt + Math.max(this.opts.minDurationMs, this.baseMs(p.alert) / this.speed());
      if (allowed < p.endsAt) p.endsAt = Math.max(allowed, Math.min(now, p.endsAt));
      if (now >= p.endsAt) this.playing = null;
    }
    if (!this.playing && this.queue.length > 0) {
      const alert = this.queue.shift()!;
      const ms = Math.max(this.opts.minDurationMs, this.baseMs(alert) / this.speed());
      this.playing = { alert, startedAt: now, endsAt: now + ms };
    }
    return this.playing;
  }

  private baseMs(a: Alert): number {
    return this.opts.durationMs[a.tier] * (a.kind === 'gift' ? (a.style.scale ?? 1) : 1);
  }

  /**
   * While the waiting alerts would take more than maxBacklogMs to play out, the least valuable waiting gift (the
   * newest among equals, so earlier senders keep their own alert) is folded into its tier's summary.
   */
  private bound(): void {
    while (this.drainMs() > this.opts.maxBacklogMs) {
      let victim: GiftAlert | null = null;
      for (const a of this.queue) if (a.kind === 'gift' && (!victim || a.totalCoins <= victim.totalCoins)) victim = a;
      if (victim) this.fold(victim);
      else if (!this.mergeSummaries()) return;
    }
  }

  /** Moves a waiting gift alert into its tier's summary; a new summary takes the gift's place in the queue. */
  private fold(a: GiftAlert): void {
    const at = this.queue.indexOf(a);
    let s = this.queue.find((x): x is SummaryAlert => x.kind === 'summary' && x.tier === a.tier);
    if (s) this.queue.splice(at, 1);
    else {
      s = {
        kind: 'summary',
        id: ++this.seq,
        tier: a.tier,
        gifts: 0,
        count: 0,
        totalCoins: 0,
        queuedAt: a.queuedAt,
        top: [],
        bySender: new Map(),
      };
      this.queue.splice(at, 1, s);
    }
    this.absorb(s, a);
  }

  /** Last resort: only summaries wait and they still do not fit: they become one, of the highest tier. */
  private mergeSummaries(): boolean {
    if (this.queue.length < 2) return false;
    const all = this.queue.splice(0, this.queue.length) as SummaryAlert[];
    const top = all.reduce((a, b) => (TIER_RANK[b.tier] > TIER_RANK[a.tier] ? b : a));
    for (const s of all) if (s !== top) this.absorb(top, s);
    top.queuedAt = Math.min(...all.map((s) => s.queuedAt));
    this.queue.push(top);
    return true;
  }

  private absorb(s: SummaryAlert, a: Alert): void {
    s.gifts += a.gifts;
    s.count += a.count;
    s.totalCoins += a.totalCoins;
    const add = (id: string, displayName: string, coins: number) => {
      const cur = s.bySender.get(id);
      s.bySender.set(id, { displayName, coins: (cur?.coins ?? 0) + coins });
    };
    if (a.kind === 'gift') add(a.sender.id, a.sender.displayName, a.totalCoins);
    else for (const [id, v] of a.bySender) add(id, v.displayName, v.coins);
    s.top = [...s.bySender.values()].sort((x, y) => y.coins - x.coins).slice(0, 3);
  }
}
