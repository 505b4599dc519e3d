/**
 * The gift schedule: how many gifts are due `t` seconds after the start, with the rate climbing linearly
 * from 0 to `rate` over `rampUpSec`, then steady for `durationSec`. Senders send by this clock, not by
 * counting loop iterations: a gift due at t goes out at t even if the event loop stalled before it (then it
 * is late, and counted as late), so a slow generator never silently under-sends.
 */
export interface Schedule {
  rate: number;
  rampUpSec: number;
  durationSec: number;
}

export function endSec(s: Schedule): number {
  return s.rampUpSec + s.durationSec;
}

/** Gifts due by `t` seconds (fractional). */
export function dueBy(s: Schedule, t: number): number {
  const tt = Math.min(Math.max(t, 0), endSec(s));
  if (s.rampUpSec > 0 && tt < s.rampUpSec) return (s.rate * tt * tt) / (2 * s.rampUpSec);
  return (s.rate * s.rampUpSec) / 2 + s.rate * (tt - s.rampUpSec);
}

/** Total number of gifts of the run: gift k (0-based) is sent for every k < total. */
export function totalGifts(s: Schedule): number {
  return Math.ceil(dueBy(s, endSec(s)) - 1e-9);
}

/** When gift k (0-based) is due, in seconds after the start: the moment dueBy reaches k. */
export function dueAt(s: Schedule, k: number): number {
  if (s.rate <= 0) return Infinity;
  const rampGifts = (s.rate * s.rampUpSec) / 2;
  if (k <= rampGifts && s.rampUpSec > 0) return Math.sqrt((2 * s.rampUpSec * k) / s.rate);
  return s.rampUpSec + (k - rampGifts) / s.rate;
}

/** Small seeded PRNG (mulberry32): the same seed gives the same gift mix on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks items by weight with the given random source. */
export function weightedPicker<T extends { weight: number }>(items: T[], random: () => number): () => T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  const cumulative = items.map(
    (
      (acc) => (i: T) =>
        (acc += i.weight / total)
    )(0),
  );
  return () => {
    const r = random();
    for (let i = 0; i < items.length; i++) if (r < cumulative[i]!) return items[i]!;
    return items[items.length - 1]!;
  };
}
