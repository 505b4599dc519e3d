import type { Check } from './checks';
import type { Ceilings } from './result';
import type { ProbeSample } from './probes';
import type { Summary } from './stats';
import { fmt, type RunSummary, type TargetResult } from './summary';
import type { Second } from './timeline';
import { summarize } from './stats';

/** The live progress line and the end-of-run summary table, for a terminal. */

const MiB = 2 ** 20;

export function progressLine(
  phase: string,
  sec: Second | undefined,
  probe: ProbeSample | undefined,
  extra = '',
): string {
  const parts = [phase.padEnd(9)];
  if (sec) {
    const rejected = Object.values(sec.rejected).reduce((a, n) => a + n, 0);
    const ack = summarize(sec.ackMs.toArray());
    const screen = summarize(sec.screenMs.toArray());
    parts.push(
      `t=${String(sec.sec).padStart(3)}s`,
      `offered ${fmt(sec.sent).padStart(6)}/s`,
      `ok ${fmt(sec.accepted).padStart(6)}/s`,
      `rej ${fmt(rejected).padStart(5)}/s`,
      `ack p99 ${ack.p99.toFixed(0).padStart(4)}ms`,
      `screen p99 ${screen.p99.toFixed(0).padStart(4)}ms`,
      `late ${sec.late}`,
    );
  }
  if (probe?.server)
    parts.push(`cpu ${probe.server.cpuPercent.toFixed(0)}%`, `loop p99 ${probe.server.eventLoopP99Ms.toFixed(0)}ms`);
  if (probe?.redis) parts.push(`redis ${(probe.redis.usedMemory / MiB).toFixed(0)}MiB`, `outbox ${probe.redis.outbox}`);
  if (extra) parts.push(extra);
  return parts.join('  ');
}

const lat = (s: Summary) =>
  s.count === 0
    ? 'n/a'
    : `p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)} ms  (n=${fmt(s.count)})`;

export function ceilingLines(c: Ceilings | undefined): string[] {
  if (!c) return [];
  const lines = ['', 'Raw ceilings (same machine, right after the run)'];
  for (const r of c.redisGift.runs) {
    lines.push(
      `  redis-benchmark ${r.script}, ${r.clients} clients, pipeline ${r.pipeline}: ${fmt(r.rps)} gifts/s (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms)`,
    );
  }
  const b = c.broadcast;
  lines.push(
    b.ceiling
      ? `  bare Socket.IO broadcast: ${fmt(b.ceiling.framesPerSec, 2)} frames/s of ${b.itemsPerFrame} items to ${fmt(b.watchers)} watchers kept up = ${fmt(b.ceiling.deliveriesPerSec)} deliveries/s, ${fmt(b.ceiling.mibPerSec)} MiB/s (Giftwire sends 20 frames/s per busy room)`
      : `  bare Socket.IO broadcast: did not keep up even at ${fmt(Math.min(...b.steps.map((s) => s.framesPerSec)), 2)} frames/s to ${fmt(b.watchers)} watchers`,
    `  bare Socket.IO broadcast, most delivered in any step: ${fmt(b.maxDelivered.deliveriesPerSec)} deliveries/s, ${fmt(b.maxDelivered.mibPerSec)} MiB/s`,
  );
  return lines;
}

export function summaryTable(s: RunSummary, targets: TargetResult[], checks: Check[], ceilings?: Ceilings): string {
  const rows: Array<[string, string]> = [
    ['steady window', `t=${s.window.fromSec}..${s.window.toSec} s`],
    ['gifts offered', `${fmt(s.offeredPerSec, 1)}/s  (late sends: ${fmt(s.late)}, worst ${s.maxLateMs.toFixed(0)} ms)`],
    [
      'gifts accepted',
      `${fmt(s.acceptedPerSec, 1)}/s  (busiest room ${fmt(s.hotRoomAcceptedPerSec, 1)}/s, ${s.hotRoomWatchers} watchers)`,
    ],
    [
      'gifts rejected',
      `${fmt(s.rejectedPerSec, 1)}/s  ${
        Object.entries(s.rejectedByCode)
          .map(([c, n]) => `${c}=${fmt(n)}`)
          .join(' ') || ''
      }`,
    ],
    ['ack latency', lat(s.ackMs)],
    ['ack from due time', lat(s.ackFromDueMs)],
    ['gift-to-screen (watchers)', lat(s.screenMs)],
    ['gift-to-screen (creator)', lat(s.creatorScreenMs)],
    [
      'per watcher',
      `${s.framesPerWatcherPerSec.toFixed(1)} frames/s, ${fmt(s.bytesPerWatcherPerSec / 1024, 1)} KiB/s, ${s.itemsPerFrame.toFixed(1)} items/frame, folded away ${fmt(s.foldedAwayPerSec)}/s`,
    ],
    ['settlement lag', lat(s.settlementLagMs)],
    [
      'server',
      `cpu avg ${s.server.cpuPercentAvg.toFixed(0)}% max ${s.server.cpuPercentMax.toFixed(0)}%, event loop p99 avg ${s.server.eventLoopP99MsAvg.toFixed(1)} max ${s.server.eventLoopP99MsMax.toFixed(1)} ms, rss max ${(s.server.rssMaxBytes / MiB).toFixed(0)} MiB, sockets max ${s.server.socketsMax ?? 'n/a'}`,
    ],
    [
      'redis',
      `memory max ${(s.redis.usedMemoryMaxBytes / MiB).toFixed(1)} MiB, ${fmt(s.redis.opsPerSecAvg)} ops/s, cpu avg ${s.redis.cpuPercentAvg.toFixed(0)}%, outbox max ${fmt(s.redis.outboxMax)} (oldest ${fmt(s.redis.oldestHeldMsMax)} ms)`,
    ],
    ...Object.entries(s.procs).map(([name, p]): [string, string] => [
      `cpu: ${name}`,
      `${p.cpuPercentAvg.toFixed(0)}% (100% = one core), rss max ${(p.rssMaxBytes / MiB).toFixed(0)} MiB`,
    ]),
    [
      'machine',
      `${s.machine.cores} cores, busy ${s.machine.cpuPercentAvg.toFixed(0)}% of ${s.machine.cores * 100}%, of which other processes ${s.machine.othersCpuPercentAvg.toFixed(0)}%; load average up to ${s.machine.loadAvg1Max.toFixed(1)}`,
    ],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const lines = [
    '',
    'Results',
    ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
    '',
    'Targets (this machine, load generator included)',
  ];
  for (const t of targets)
    lines.push(
      `  ${t.met ? 'met    ' : 'not met'}  ${t.name}: ${t.measured}  (target ${t.target})${t.comparable ? '' : '  [run not sized like the target]'}`,
    );
  lines.push(...ceilingLines(ceilings));
  lines.push('', 'Checks');
  for (const c of checks)
    lines.push(`  ${c.ok ? 'PASS' : c.fatal === false ? 'WARN' : 'FAIL'}  ${c.name}: ${c.detail}`);
  return lines.join('\n');
}
