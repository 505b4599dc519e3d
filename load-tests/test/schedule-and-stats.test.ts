import { dueAt, dueBy, prng, totalGifts, weightedPicker } from '../lib/schedule';
import { logHistogram, percentileOfSorted, summarize } from '../lib/stats';
import { coinsFor } from '../lib/setup';
import { parseMix, parseOptions } from '../lib/options';
import { lineChart } from '../lib/svg';
import { Meter } from '../agent/meter';
import { Timeline } from '../lib/timeline';

describe('the gift clock', () => {
  const s = { rate: 1000, rampUpSec: 4, durationSec: 10 };

  it('climbs linearly over the ramp-up, then holds the full rate', () => {
    expect(dueBy(s, 0)).toBe(0);
    expect(dueBy(s, 2)).toBeCloseTo(500); // half-way up the ramp: 1000 * 2^2 / (2 * 4)
    expect(dueBy(s, 4)).toBeCloseTo(2000);
    expect(dueBy(s, 5)).toBeCloseTo(3000);
    expect(totalGifts(s)).toBe(12_000);
    expect(dueBy(s, 999)).toBeCloseTo(12_000); // nothing is due after the end
  });

  it('gives every gift a due time at which it has just become due, in order', () => {
    let prev = -1;
    for (const k of [0, 1, 10, 499, 1999, 2000, 2001, 5000, 11_999]) {
      const t = dueAt(s, k);
      expect(t).toBeGreaterThan(prev);
      expect(dueBy(s, t)).toBeCloseTo(k, 6);
      prev = t;
    }
  });

  it('with no ramp-up starts at the full rate at once', () => {
    const flat = { rate: 50, rampUpSec: 0, durationSec: 2 };
    expect(totalGifts(flat)).toBe(100);
    expect(dueAt(flat, 0)).toBe(0);
    expect(dueAt(flat, 50)).toBeCloseTo(1);
  });

  it('picks gifts by weight, the same way for the same seed', () => {
    const mix = parseMix('rose:90,galaxy:9,universe:1');
    const pickA = weightedPicker(mix, prng(7));
    const pickB = weightedPicker(mix, prng(7));
    const a = Array.from({ length: 20_000 }, () => pickA().giftId);
    const b = Array.from({ length: 20_000 }, () => pickB().giftId);
    expect(b).toEqual(a);
    const counts: Record<string, number> = {};
    for (const id of a) counts[id] = (counts[id] ?? 0) + 1;
    expect(counts.rose! / 20_000).toBeGreaterThan(0.88);
    expect(counts.rose! / 20_000).toBeLessThan(0.92);
    expect(counts.universe).toBeGreaterThan(100);
  });

  it('gives each sender enough coins for its share, even with an unlucky run of dear gifts', () => {
    const mix = [
      { weight: 99, coins: 1 },
      { weight: 1, coins: 34_999 },
    ];
    // 1000 gifts: 10 universes expected; the budget covers far more than that.
    expect(coinsFor(1000, mix)).toBeGreaterThan(25 * 34_999);
    expect(coinsFor(1, [{ weight: 1, coins: 5 }])).toBe(10);
  });
});

describe('latency statistics', () => {
  it('takes exact nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    const s = summarize(values);
    expect(s).toMatchObject({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    expect(percentileOfSorted([], 0.99)).toBe(0);
    expect(summarize([]).count).toBe(0);
  });

  it('puts every sample in exactly one histogram bucket', () => {
    const values = [0.05, 0.1, 0.2, 1, 1.1, 50, 999];
    const h = logHistogram(values);
    expect(h.counts.reduce((a, n) => a + n, 0)).toBe(values.length);
    expect(h.bounds[h.bounds.length - 1]!).toBeGreaterThanOrEqual(999);
    values.forEach((v) => {
      const i = h.bounds.findIndex((b) => v <= b + 1e-9);
      expect(i).toBeGreaterThanOrEqual(0);
    });
  });
});

describe('the command line', () => {
  it('takes the scenario defaults and lets every option override them', () => {
    const o = parseOptions([
      'war',
      '--watchers',
      '50',
      '--rate',
      '300',
      '--mix',
      'rose:3,galaxy',
      '--server-env',
      'GIFT_RATE_PER_SEC=100',
    ]);
    if (o === 'help') throw new Error('unexpected help');
    expect(o).toMatchObject({
      scenario: 'war',
      watchers: 50,
      rate: 300,
      rooms: 2,
      senders: 600,
      serverEnv: { GIFT_RATE_PER_SEC: '100' },
    });
    expect(o.mix).toEqual([
      { giftId: 'rose', weight: 3 },
      { giftId: 'galaxy', weight: 1 },
    ]);
    expect(() => parseOptions(['--rate', 'fast'])).toThrow('--rate');
    expect(() => parseOptions(['storm'])).toThrow('unknown scenario');
    expect(parseOptions(['--help'])).toBe('help');
  });
});

describe('report charts', () => {
  it('draw every series as an inline SVG path, with no external reference', () => {
    const svg = lineChart({
      title: 'T <1>',
      xLabel: 's',
      yLabel: 'ms',
      series: [
        {
          name: 'a',
          color: '#000',
          points: [
            [0, 1],
            [1, 3],
            [2, 2],
          ],
        },
      ],
    });
    expect(svg).toContain('<svg');
    expect(svg).toContain('T &lt;1&gt;');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).not.toContain('http');
  });
});

describe("an agent's meter", () => {
  it('files each event under the second it happened, however late the report', () => {
    const meter = new Meter();
    const t0 = Date.now() - 3500; // the agent was starved: seconds 0..2 are reported only now
    meter.now(t0 - 10).bytes += 5; // setup
    meter.start(t0);
    meter.now(t0 + 100).sent += 1;
    meter.now(t0 + 999).sent += 1;
    meter.now(t0 + 1000).sent += 1;
    meter.now(t0 + 2500).ackMs.push(7, 1); // answered in second 2 for a gift sent in second 1
    meter.now(Date.now()).sent += 1; // the current second: not finished, kept for the next report
    const live = { watchersConnected: 3, sendersConnected: 1, pendingAcks: 0 };
    const first = meter.drain(live);
    expect(first.map((iv) => [iv.sec, iv.sent, iv.bytes, [...iv.ackMs.ms], [...iv.ackMs.sec]])).toEqual([
      [-1, 0, 5, [], []],
      [0, 2, 0, [], []],
      [1, 1, 0, [], []],
      [2, 0, 0, [7], [1]],
    ]);
    expect(first.every((iv) => iv.watchersConnected === 3)).toBe(true);
    expect(meter.drain(live, true).map((iv) => [iv.sec, iv.sent])).toEqual([[3, 1]]);

    // The run's timeline files that late answer under the second its gift was sent.
    const timeline = new Timeline();
    for (const iv of first) timeline.add(0, iv);
    expect(timeline.all().map((s) => [s.sec, s.ackMs.length])).toEqual([
      [0, 0],
      [1, 1],
      [2, 0],
    ]);
  });
});
