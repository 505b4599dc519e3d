import type { GiftTier } from '../../../shared/contracts/catalog';
import type { GiftEvent } from '../../../shared/contracts/models';
import { AlertQueue, DEFAULT_ALERT_OPTIONS, type Alert } from '../../public/src/overlay/alert-queue';
import { ComboBoard } from '../../public/src/overlay/combo-board';

/* The overlay's queue logic runs on the caller's clock: these stories drive it with simulated time. */

let n = 0;
function gift(sender: string, giftId: string, coins: number, count = 1, combo = count): GiftEvent {
  n += 1;
  return {
    id: `g${n}`,
    streamId: 's',
    sender: { id: sender, displayName: sender.toUpperCase() },
    giftId,
    giftName: giftId,
    coins,
    count,
    totalCoins: coins * count,
    combo,
    at: n,
  };
}

/** Runs the queue to the end, ticking every `step` ms; returns what played, when it started and for how long. */
function drain(q: AlertQueue, from: number, step = 50) {
  const played: Array<{ alert: Alert; startedAt: number; ms: number }> = [];
  let t = from;
  let last: Alert | null = null;
  while (q.current || q.waiting.length) {
    const p = q.tick(t);
    if (p && p.alert !== last) {
      last = p.alert;
      played.push({ alert: p.alert, startedAt: p.startedAt, ms: p.endsAt - p.startedAt });
    }
    t += step;
  }
  return { played, end: t };
}

describe('the alert queue plays gifts one after another, by tier, and never falls behind', () => {
  it("plays alerts in order, each for its tier's duration when the queue is short", () => {
    const q = new AlertQueue();
    q.pushGift(gift('ann', 'corgi', 299), 'medium', 0);
    q.pushGift(gift('bob', 'luxury-car', 2699), 'large', 0);
    const { played } = drain(q, 0);
    expect(played.map((p) => [p.alert.kind === 'gift' && p.alert.giftId, p.ms])).toEqual([
      ['corgi', DEFAULT_ALERT_OPTIONS.durationMs.medium],
      ['luxury-car', DEFAULT_ALERT_OPTIONS.durationMs.large],
    ]);
  });

  it("a sender's repeated gift joins their queued alert: counts and coins add up", () => {
    const q = new AlertQueue();
    q.pushGift(gift('ann', 'galaxy', 1000), 'large', 0);
    q.tick(0); // ann's first galaxy is on screen
    q.pushGift(gift('ann', 'galaxy', 1000, 2), 'large', 10);
    q.pushGift(gift('bob', 'galaxy', 1000), 'large', 20);
    q.pushGift(gift('ann', 'galaxy', 1000, 3, 6), 'large', 30);
    expect(q.waiting.map((a) => a.kind === 'gift' && [a.sender.id, a.count, a.totalCoins, a.combo, a.gifts])).toEqual([
      ['ann', 5, 5000, 6, 2],
      ['bob', 1, 1000, 1, 1],
    ]);
  });

  it("gifts the server already summed (a frame's rest) play as one summary alert", () => {
    const q = new AlertQueue();
    q.pushSummary(523, 1_304_000, 'medium', 0);
    q.pushSummary(7, 700, 'medium', 10);
    const p = q.tick(20)!;
    expect(p.alert).toMatchObject({ kind: 'summary', gifts: 530, totalCoins: 1_304_700, top: [] });
    expect(p.endsAt - p.startedAt).toBe(DEFAULT_ALERT_OPTIONS.durationMs.medium);
  });

  it('speeds up as the backlog grows, and shortens the alert on screen too', () => {
    const q = new AlertQueue();
    q.pushGift(gift('a', 'universe', 34999), 'epic', 0);
    expect(q.tick(0)!.endsAt).toBe(DEFAULT_ALERT_OPTIONS.durationMs.epic);
    for (const s of ['b', 'c', 'd', 'e', 'f']) q.pushGift(gift(s, 'universe', 34999), 'epic', 100);
    expect(q.speed()).toBeGreaterThan(1);
    const p = q.tick(1000)!;
    expect(p.alert.kind === 'gift' && p.alert.sender.id).toBe('a');
    expect(p.endsAt).toBeLessThan(DEFAULT_ALERT_OPTIONS.durationMs.epic);
    const { played } = drain(q, 1000);
    // Each plays faster while others wait behind it; the last one, with nobody waiting, gets its full time.
    const ms = played.map((x) => x.ms);
    expect(
      ms
        .slice(1, -1)
        .every((x) => x >= DEFAULT_ALERT_OPTIONS.minDurationMs && x < DEFAULT_ALERT_OPTIONS.durationMs.epic),
    ).toBe(true);
    expect(ms[ms.length - 1]).toBe(DEFAULT_ALERT_OPTIONS.durationMs.epic);
  });

  it('in a gift war of 3,000 gifts from 300 senders in 30 s, no alert waits long and every coin is on screen', () => {
    const q = new AlertQueue();
    const tiers: Array<[string, number, GiftTier]> = [
      ['corgi', 299, 'medium'],
      ['hand-hearts', 100, 'medium'],
      ['luxury-car', 2699, 'large'],
      ['universe', 34999, 'epic'],
    ];
    let pushedCoins = 0;
    const played: Array<{ alert: Alert; startedAt: number }> = [];
    let last: Alert | null = null;
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 30_000; t += 10) {
      // one gift every 10 ms: 100 gifts a second
      const [id, coins, tier] = tiers[Math.floor(next() * (next() < 0.05 ? 4 : 3))]!;
      q.pushGift(gift(`s${Math.floor(next() * 300)}`, id, coins), tier, t);
      pushedCoins += coins;
      const p = q.tick(t);
      if (p && p.alert !== last) played.push({ alert: (last = p.alert), startedAt: p.startedAt });
    }
    const rest = drain(q, 30_000);
    played.push(...rest.played.filter((p) => p.alert !== last));

    const worstWait = Math.max(...played.map((p) => p.startedAt - p.alert.queuedAt));
    const o = DEFAULT_ALERT_OPTIONS;
    // The bound: what may wait at full speed, plus the alert on screen at its longest.
    expect(worstWait).toBeLessThanOrEqual(o.maxBacklogMs + o.durationMs.epic + 100);
    expect(rest.end - 30_000).toBeLessThanOrEqual(o.maxBacklogMs + o.durationMs.epic + 100);
    expect(played.reduce((t, p) => t + p.alert.totalCoins, 0)).toBe(pushedCoins);
    expect(played.some((p) => p.alert.kind === 'summary')).toBe(true);
    // Summaries name their top senders.
    const summary = played.find((p) => p.alert.kind === 'summary')!.alert;
    expect(summary.kind === 'summary' && summary.top.length).toBeGreaterThan(0);
  });

  it('folds the least valuable gifts first: an epic keeps its own alert while medium ones are summed', () => {
    const q = new AlertQueue();
    q.pushGift(gift('whale', 'universe', 34999), 'epic', 0);
    for (let i = 0; i < 200; i++) q.pushGift(gift(`fan${i}`, 'corgi', 299), 'medium', 0);
    const kinds = q.waiting.map((a) => `${a.kind}:${a.tier}`);
    expect(kinds[0]).toBe('gift:epic');
    expect(kinds).toContain('summary:medium');
    expect(kinds.filter((k) => k === 'gift:medium').length).toBeLessThan(200);
  });

  it('when 60 cars arrive before 30 hand hearts, the first cars keep their own alerts; later cars and the hearts are summed', () => {
    const q = new AlertQueue();
    for (let i = 0; i < 60; i++) q.pushGift(gift(`car${i}`, 'luxury-car', 2699), 'large', 0);
    for (let i = 0; i < 30; i++) q.pushGift(gift(`heart${i}`, 'hand-hearts', 100), 'medium', 0);
    const w = q.waiting;
    const individual = w.filter((a) => a.kind === 'gift');
    expect(individual.length).toBeGreaterThan(5);
    expect(individual.every((a) => a.kind === 'gift' && a.giftId === 'luxury-car')).toBe(true);
    // The earliest senders are the ones on screen, in order.
    expect(individual.map((a) => a.kind === 'gift' && a.sender.id)).toEqual(individual.map((_, i) => `car${i}`));
    const summaries = w.filter((a) => a.kind === 'summary');
    expect(summaries.map((a) => [a.tier, a.gifts])).toEqual([
      ['large', 60 - individual.length],
      ['medium', 30],
    ]);
  });
});

describe('small gifts stack as combo counters', () => {
  it('a streak counts up on one card and fades after a quiet spell', () => {
    const b = new ComboBoard({ holdMs: 4000 });
    b.push(gift('ann', 'rose', 1, 1, 1), 0);
    b.push(gift('ann', 'rose', 1, 5, 6), 500);
    b.push(gift('bob', 'rose', 1, 1, 1), 600);
    let { cards } = b.prune(700);
    expect(cards.map((c) => [c.sender.id, c.combo, c.totalCoins, c.bumps])).toEqual([
      ['ann', 6, 6, 2],
      ['bob', 1, 1, 1],
    ]);
    ({ cards } = b.prune(4550));
    expect(cards.map((c) => c.sender.id)).toEqual(['bob']);
    expect(b.prune(5000).cards).toEqual([]);
  });

  it('in a flood, new streaks that find the board busy are folded into "+N more", nothing is lost', () => {
    const b = new ComboBoard({ capacity: 3, minShowMs: 1000 });
    for (let i = 0; i < 10; i++) b.push(gift(`s${i}`, 'rose', 1, 2, 2), 100 + i);
    const { cards, others } = b.prune(200);
    expect(cards).toHaveLength(3);
    expect(others).toMatchObject({ gifts: 7, count: 14, totalCoins: 14 });
    // Once the cards have been seen long enough, a new streak replaces the quietest one.
    b.push(gift('late', 'rose', 1), 1200);
    expect(b.prune(1200).cards.map((c) => c.sender.id)).toEqual(['s1', 's2', 'late']);
  });
});
