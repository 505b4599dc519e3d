import os from 'node:os';
import type { Options } from './options';
import type { ProbeSample } from './probes';
import type { Ledger } from './ledger';
import type { Plan } from './setup';
import type { SettlementResult } from './settlement';
import { summarize, type Summary } from './stats';
import type { Timeline } from './timeline';

/**
 * The figures of a run, over its steady window (after the ramp-up, while the rate is at full): throughput,
 * latencies, fan-out per watcher, settlement lag, and the resources of the system under test.
 */
export interface RunSummary {
  window: { fromSec: number; toSec: number };
  offeredPerSec: number;
  acceptedPerSec: number;
  rejectedPerSec: number;
  rejectedByCode: Record<string, number>;
  /** Accepted gifts per second into the busiest room (the hot room of a war). */
  hotRoomAcceptedPerSec: number;
  hotRoomWatchers: number;
  late: number;
  maxLateMs: number;
  ackMs: Summary;
  ackFromDueMs: Summary;
  screenMs: Summary;
  creatorScreenMs: Summary;
  framesPerWatcherPerSec: number;
  bytesPerWatcherPerSec: number;
  itemsPerFrame: number;
  foldedAwayPerSec: number;
  settlementLagMs: Summary;
  server: {
    cpuPercentAvg: number;
    cpuPercentMax: number;
    eventLoopP99MsMax: number;
    eventLoopP99MsAvg: number;
    rssMaxBytes: number;
    rssBaselineBytes: number;
    socketsMax: number | null;
  };
  redis: {
    usedMemoryMaxBytes: number;
    opsPerSecAvg: number;
    cpuPercentAvg: number;
    outboxMax: number;
    oldestHeldMsMax: number;
  };
  procs: Record<string, { cpuPercentAvg: number; rssMaxBytes: number }>;
  /** The machine's CPU over the window (100 = one core), and what processes outside this run took of it. */
  machine: { cores: number; cpuPercentAvg: number; othersCpuPercentAvg: number; loadAvg1Max: number };
  watchersConnected: number;
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);

export function summarizeRun(
  opts: Options,
  plan: Plan,
  t0: number,
  timeline: Timeline,
  probes: ProbeSample[],
  ledger: Ledger,
  settlement: SettlementResult | null,
): RunSummary {
  const fromSec = Math.floor(opts.rampUpSec);
  const toSec = Math.max(fromSec + 1, Math.floor(opts.rampUpSec + opts.durationSec));
  const secs = timeline.all().filter((s) => s.sec >= fromSec && s.sec < toSec);
  const span = Math.max(1, toSec - fromSec);
  const sum = (f: (s: (typeof secs)[number]) => number) => secs.reduce((a, s) => a + f(s), 0);
  const rejectedByCode: Record<string, number> = {};
  for (const s of secs)
    for (const [c, n] of Object.entries(s.rejected)) rejectedByCode[c] = (rejectedByCode[c] ?? 0) + n;

  // Busiest room by accepted gifts whose `at` falls in the window.
  const perRoom = new Map<string, number>();
  for (let i = 0; i < ledger.ids.length; i++) {
    const sec = (ledger.at[i]! - t0) / 1000;
    if (sec >= fromSec && sec < toSec) perRoom.set(ledger.streamIds[i]!, (perRoom.get(ledger.streamIds[i]!) ?? 0) + 1);
  }
  const hot = [...perRoom.entries()].sort((a, b) => b[1] - a[1])[0];
  const hotWatchers = hot ? plan.watchers.filter((w) => w.streamId === hot[0]).length : 0;

  const inWindow = probes.filter((p) => p.t >= fromSec && p.t < toSec + 1);
  const procNames = new Set(inWindow.flatMap((p) => Object.keys(p.procs)));
  const procs: RunSummary['procs'] = {};
  for (const name of procNames) {
    const xs = inWindow.map((p) => p.procs[name]).filter((x) => x !== undefined);
    procs[name] = { cpuPercentAvg: avg(xs.map((x) => x.cpuPercent)), rssMaxBytes: max(xs.map((x) => x.rssBytes)) };
  }
  const server = inWindow.map((p) => p.server).filter((x) => x !== undefined);
  const redis = inWindow.map((p) => p.redis).filter((x) => x !== undefined);
  const sockets = probes.map((p) => p.server?.sockets).filter((x): x is number => typeof x === 'number');
  // Settlement lag of the gifts accepted in the window (as every latency here: by the second its gift belongs to).
  const settledLags: number[] = [];
  if (settlement) {
    for (let i = 0; i < ledger.ids.length; i++) {
      const sec = (ledger.at[i]! - t0) / 1000;
      if (sec >= fromSec && sec < toSec && !Number.isNaN(settlement.lagMs[i]!)) settledLags.push(settlement.lagMs[i]!);
    }
  }
  const parsedFrames = sum((s) => s.parsedFrames);
  const items = sum((s) => s.items);

  return {
    window: { fromSec, toSec },
    offeredPerSec: sum((s) => s.sent) / span,
    acceptedPerSec: sum((s) => s.accepted) / span,
    rejectedPerSec: sum((s) => Object.values(s.rejected).reduce((a, n) => a + n, 0)) / span,
    rejectedByCode,
    hotRoomAcceptedPerSec: hot ? hot[1] / span : 0,
    hotRoomWatchers: hotWatchers,
    late: sum((s) => s.late),
    maxLateMs: max(secs.map((s) => s.maxLateMs)),
    ackMs: summarize(timeline.collect('ackMs', fromSec, toSec)),
    ackFromDueMs: summarize(timeline.collect('ackFromDueMs', fromSec, toSec)),
    screenMs: summarize(timeline.collect('screenMs', fromSec, toSec)),
    creatorScreenMs: summarize(timeline.collect('creatorScreenMs', fromSec, toSec)),
    framesPerWatcherPerSec: avg(secs.map((s) => (s.watchers > 0 ? s.frames / s.watchers : 0))),
    bytesPerWatcherPerSec: avg(secs.map((s) => (s.watchers > 0 ? s.bytes / s.watchers : 0))),
    itemsPerFrame: parsedFrames > 0 ? items / parsedFrames : 0,
    foldedAwayPerSec: sum((s) => s.restGifts) / span,
    settlementLagMs: summarize(settledLags),
    server: {
      cpuPercentAvg: avg(server.map((s) => s.cpuPercent)),
      cpuPercentMax: max(server.map((s) => s.cpuPercent)),
      eventLoopP99MsMax: max(server.map((s) => s.eventLoopP99Ms)),
      eventLoopP99MsAvg: avg(server.map((s) => s.eventLoopP99Ms)),
      rssMaxBytes: max(probes.map((p) => p.server?.rssBytes ?? 0)),
      // Before any watcher connected: what the server holds with no sockets.
      rssBaselineBytes: probes.find((p) => p.server && p.server.rssBytes > 0)?.server?.rssBytes ?? 0,
      socketsMax: sockets.length ? max(sockets) : null,
    },
    redis: {
      usedMemoryMaxBytes: max(probes.map((p) => p.redis?.usedMemory ?? 0)),
      opsPerSecAvg: avg(redis.map((r) => r.opsPerSec)),
      cpuPercentAvg: avg(redis.map((r) => r.cpuPercent)),
      outboxMax: max(probes.map((p) => p.redis?.outbox ?? 0)),
      oldestHeldMsMax: max(probes.map((p) => p.redis?.oldestHeldMs ?? 0)),
    },
    procs,
    machine: machineSummary(inWindow),
    watchersConnected: max(secs.map((s) => s.watchers)),
  };
}

function machineSummary(samples: ProbeSample[]): RunSummary['machine'] {
  const withMachine = samples.filter((p) => p.machine);
  const ours = (p: ProbeSample) => Object.values(p.procs).reduce((a, x) => a + x.cpuPercent, 0);
  return {
    cores: os.availableParallelism(),
    cpuPercentAvg: avg(withMachine.map((p) => p.machine!.cpuPercent)),
    othersCpuPercentAvg: avg(withMachine.map((p) => Math.max(0, p.machine!.cpuPercent - ours(p)))),
    loadAvg1Max: max(withMachine.map((p) => p.machine!.loadAvg1)),
  };
}

export interface TargetResult {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  /** The run was not sized like the target (fewer watchers or a lower rate): the verdict is indicative only. */
  comparable: boolean;
}

export function evaluateTargets(s: RunSummary, opts: Options): TargetResult[] {
  const sized = s.hotRoomWatchers >= 2000 && opts.rate >= 10_000;
  const out: TargetResult[] = [];
  if (!opts.idle) {
    out.push(
      {
        name: 'accepted into one room',
        target: '>= 10,000 gifts/s (2,000 watchers)',
        measured: `${fmt(s.hotRoomAcceptedPerSec)} gifts/s (${s.hotRoomWatchers} watchers)`,
        met: s.hotRoomAcceptedPerSec >= 10_000 && s.hotRoomWatchers >= 2000,
        comparable: sized,
      },
      {
        name: 'ack p99',
        target: '< 50 ms',
        measured: `${s.ackMs.p99.toFixed(1)} ms`,
        met: s.ackMs.count > 0 && s.ackMs.p99 < 50,
        comparable: sized,
      },
      {
        name: 'gift-to-screen p99',
        target: '< 300 ms',
        measured: `${s.screenMs.p99.toFixed(0)} ms (creator ${s.creatorScreenMs.p99.toFixed(0)} ms)`,
        met: s.screenMs.count > 0 && s.screenMs.p99 < 300 && s.creatorScreenMs.p99 < 300,
        comparable: sized,
      },
      {
        name: 'settlement lag p99',
        target: '< 1 s',
        measured: `${s.settlementLagMs.p99.toFixed(0)} ms`,
        met: s.settlementLagMs.count > 0 && s.settlementLagMs.p99 < 1000,
        comparable: sized,
      },
    );
  } else {
    const rss = s.server.rssMaxBytes;
    const perWatcher = s.watchersConnected > 0 ? (rss - s.server.rssBaselineBytes) / s.watchersConnected / 1024 : 0;
    out.push({
      name: 'idle watchers memory',
      target: '10,000 watchers in < 1 GiB server RSS',
      measured: `${s.watchersConnected} watchers, ${(rss / 2 ** 20).toFixed(0)} MiB (${perWatcher.toFixed(1)} KiB per watcher over a ${(s.server.rssBaselineBytes / 2 ** 20).toFixed(0)} MiB baseline)`,
      met: s.watchersConnected >= 10_000 && rss < 2 ** 30,
      comparable: s.watchersConnected >= 10_000,
    });
  }
  return out;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
