/**
 * Latency statistics. Percentiles are exact (sort-based, nearest-rank) over every sample of the run: a run of
 * a minute at 10,000 gifts/s is 600,000 samples, which a typed-array sort handles in well under a second.
 * (An HDR histogram would bound memory for much longer runs; hdr-histogram-js is not installed.)
 */
export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const EMPTY_SUMMARY: Summary = { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/** A growable Float64Array: latency samples without boxing millions of numbers. */
export class Samples {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
  }

  /** A copy of the samples (safe to send over IPC or sort). */
  toArray(): Float64Array {
    return this.buf.slice(0, this.length);
  }

  /** Hands the samples over and starts empty. */
  drain(): Float64Array {
    const out = this.toArray();
    this.length = 0;
    return out;
  }
}

/**
 * Latency samples, each filed under the second of the run its gift belongs to (sent, or accepted), not the second
 * the measurement arrived in: under overload an answer can come long after, and must still count for its second.
 */
export class TimedSamples {
  readonly ms = new Samples(64);
  readonly sec = new Samples(64);

  push(ms: number, sec: number): void {
    this.ms.push(ms);
    this.sec.push(sec);
  }

  toArrays(): { ms: Float64Array; sec: Float64Array } {
    return { ms: this.ms.toArray(), sec: this.sec.toArray() };
  }
}

/** Nearest-rank percentile of sorted values; q in [0, 1]. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: ArrayLike<number>): Summary {
  if (values.length === 0) return { ...EMPTY_SUMMARY };
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    mean: sum / sorted.length,
    p50: percentileOfSorted(sorted, 0.5),
    p95: percentileOfSorted(sorted, 0.95),
    p99: percentileOfSorted(sorted, 0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Histogram with logarithmic buckets (4 per doubling) from 0.1 ms: the shape of a latency distribution. */
export interface Histogram {
  /** Upper bound of each bucket, ms. */
  bounds: number[];
  counts: number[];
}

export function logHistogram(values: ArrayLike<number>, minMs = 0.1, perDoubling = 4): Histogram {
  let max = minMs;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  const n = Math.max(1, Math.ceil(Math.log2(max / minMs) * perDoubling) + 1);
  const bounds = Array.from({ length: n }, (_, i) => minMs * 2 ** (i / perDoubling));
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const b = v <= minMs ? 0 : Math.min(n - 1, Math.ceil(Math.log2(v / minMs) * perDoubling - 1e-9));
    counts[b]! += 1;
  }
  return { bounds, counts };
}
