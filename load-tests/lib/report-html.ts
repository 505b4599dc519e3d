import type { RunResult } from './result';
import { lineChart, PALETTE, type Series } from './svg';
import { fmt } from './summary';
import { ceilingLines } from './report-text';
import type { Histogram, Summary } from './stats';

/** The run as one self-contained HTML page: verdict, figures, targets, checks, and charts over time. */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const MiB = 2 ** 20;

const lat = (s: Summary) =>
  s.count === 0 ? 'n/a' : `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.p99.toFixed(1)} / ${s.max.toFixed(1)}`;

function histSeries(name: string, color: string, h: Histogram | undefined): Series {
  const total = h ? h.counts.reduce((a, n) => a + n, 0) : 0;
  return {
    name,
    color,
    points: h && total ? h.bounds.map((b, i) => [b, (h.counts[i]! / total) * 100] as [number, number]) : [],
  };
}

export function renderHtml(r: RunResult): string {
  const s = r.summary;
  const tl = r.timeline;
  const at = (f: (row: (typeof tl)[number]) => number): Array<[number, number]> => tl.map((row) => [row.sec, f(row)]);
  const probes = r.probes.filter((p) => p.t >= 0);
  const pAt = (f: (p: (typeof probes)[number]) => number | undefined): Array<[number, number]> =>
    probes
      .map((p) => [p.t, f(p)] as [number, number | undefined])
      .filter((x): x is [number, number] => x[1] !== undefined);
  const procNames = [...new Set(probes.flatMap((p) => Object.keys(p.procs)))];

  const charts = [
    lineChart({
      title: 'Throughput (gifts per second)',
      xLabel: 'seconds',
      yLabel: 'gifts/s',
      series: [
        { name: 'offered', color: PALETTE[0]!, points: at((x) => x.sent) },
        { name: 'accepted', color: PALETTE[1]!, points: at((x) => x.accepted) },
        { name: 'rejected', color: PALETTE[2]!, points: at((x) => x.rejected) },
      ],
    }),
    lineChart({
      title: 'Latency over time (ms)',
      xLabel: 'seconds',
      yLabel: 'ms',
      series: [
        { name: 'ack p50', color: PALETTE[0]!, points: at((x) => x.ack.p50), dashed: true },
        { name: 'ack p99', color: PALETTE[0]!, points: at((x) => x.ack.p99) },
        { name: 'screen p50', color: PALETTE[1]!, points: at((x) => x.screen.p50), dashed: true },
        { name: 'screen p99', color: PALETTE[1]!, points: at((x) => x.screen.p99) },
        { name: 'creator p99', color: PALETTE[3]!, points: at((x) => x.creatorScreen.p99) },
      ],
    }),
    lineChart({
      title: 'Latency distribution (% of samples, log scale)',
      xLabel: 'ms (log)',
      yLabel: '% of samples',
      logX: true,
      series: [
        histSeries('ack', PALETTE[0]!, r.histograms.ack),
        histSeries('gift-to-screen', PALETTE[1]!, r.histograms.screen),
        histSeries('creator', PALETTE[3]!, r.histograms.creatorScreen),
        histSeries('settlement lag', PALETTE[4]!, r.histograms.settlement),
      ],
    }),
    lineChart({
      title: 'CPU (100% = one core)',
      xLabel: 'seconds',
      yLabel: '% CPU',
      series: [
        { name: 'server', color: PALETTE[0]!, points: pAt((p) => p.server?.cpuPercent) },
        { name: 'redis', color: PALETTE[2]!, points: pAt((p) => p.redis?.cpuPercent) },
        { name: 'machine', color: '#9ca3af', points: pAt((p) => p.machine?.cpuPercent), dashed: true },
        ...procNames
          .filter((n) => n !== 'server' && n !== 'redis')
          .map((n, i) => ({
            name: n,
            color: PALETTE[(i + 3) % PALETTE.length]!,
            points: pAt((p) => p.procs[n]?.cpuPercent),
          })),
      ],
    }),
    lineChart({
      title: 'Server event-loop delay (ms)',
      xLabel: 'seconds',
      yLabel: 'ms',
      series: [
        { name: 'p99', color: PALETTE[0]!, points: pAt((p) => p.server?.eventLoopP99Ms) },
        { name: 'max', color: PALETTE[2]!, points: pAt((p) => p.server?.eventLoopMaxMs), dashed: true },
      ],
    }),
    lineChart({
      title: 'Memory (MiB)',
      xLabel: 'seconds',
      yLabel: 'MiB',
      series: [
        {
          name: 'server rss',
          color: PALETTE[0]!,
          points: pAt((p) => (p.server ? p.server.rssBytes / MiB : undefined)),
        },
        {
          name: 'redis used',
          color: PALETTE[2]!,
          points: pAt((p) => (p.redis ? p.redis.usedMemory / MiB : undefined)),
        },
        {
          name: 'workers rss',
          color: PALETTE[4]!,
          points: pAt((p) => (p.procs.workers ? p.procs.workers.rssBytes / MiB : undefined)),
        },
      ],
    }),
    lineChart({
      title: 'Per watcher: frames and KiB per second',
      xLabel: 'seconds',
      yLabel: 'per watcher per second',
      series: [
        { name: 'frames/s', color: PALETTE[0]!, points: at((x) => x.framesPerWatcher) },
        { name: 'KiB/s', color: PALETTE[4]!, points: at((x) => x.bytesPerWatcher / 1024) },
      ],
    }),
    lineChart({
      title: 'Settlement backlog (gifts held, not yet settled)',
      xLabel: 'seconds',
      yLabel: 'gifts',
      series: [{ name: 'outbox', color: PALETTE[4]!, points: pAt((p) => p.redis?.outbox) }],
    }),
    lineChart({
      title: 'Settlement lag by acceptance second (ms)',
      xLabel: 'seconds',
      yLabel: 'ms',
      reference: { y: 1000, label: 'target p99 1 s' },
      series: [
        {
          name: 'p50',
          color: PALETTE[4]!,
          points: r.settlementBySecond.map((x) => [x.sec, x.p50] as [number, number]),
          dashed: true,
        },
        {
          name: 'p99',
          color: PALETTE[2]!,
          points: r.settlementBySecond.map((x) => [x.sec, x.p99] as [number, number]),
        },
      ],
    }),
    lineChart({
      title: 'Connected (sockets)',
      xLabel: 'seconds',
      yLabel: 'sockets',
      series: [
        { name: 'watchers (agents)', color: PALETTE[0]!, points: at((x) => x.watchers) },
        {
          name: 'server sockets',
          color: PALETTE[1]!,
          points: pAt((p) => p.server?.sockets ?? undefined),
          dashed: true,
        },
      ],
    }),
  ];

  const rows: Array<[string, string]> = [
    [
      'gifts offered / accepted / rejected',
      `${fmt(s.offeredPerSec, 1)} / ${fmt(s.acceptedPerSec, 1)} / ${fmt(s.rejectedPerSec, 1)} per second`,
    ],
    [
      'rejected by code',
      Object.entries(s.rejectedByCode)
        .map(([c, n]) => `${c}: ${fmt(n)}`)
        .join(', ') || 'none',
    ],
    ['busiest room', `${fmt(s.hotRoomAcceptedPerSec, 1)} gifts/s accepted, ${s.hotRoomWatchers} watchers`],
    ['late sends', `${fmt(s.late)} (worst ${s.maxLateMs.toFixed(0)} ms)`],
    ['ack latency p50 / p95 / p99 / max (ms)', lat(s.ackMs)],
    ['ack from due time (ms)', lat(s.ackFromDueMs)],
    ['gift-to-screen, watchers (ms)', lat(s.screenMs)],
    ['gift-to-screen, creator (ms)', lat(s.creatorScreenMs)],
    [
      'per watcher',
      `${s.framesPerWatcherPerSec.toFixed(1)} frames/s, ${fmt(s.bytesPerWatcherPerSec / 1024, 1)} KiB/s, ${s.itemsPerFrame.toFixed(1)} items/frame`,
    ],
    ['settlement lag (ms)', lat(s.settlementLagMs)],
    [
      'server',
      `CPU avg ${s.server.cpuPercentAvg.toFixed(0)}%, max ${s.server.cpuPercentMax.toFixed(0)}%; event loop p99 avg ${s.server.eventLoopP99MsAvg.toFixed(1)} ms, max ${s.server.eventLoopP99MsMax.toFixed(1)} ms; RSS max ${(s.server.rssMaxBytes / MiB).toFixed(0)} MiB; sockets max ${s.server.socketsMax ?? 'n/a'}`,
    ],
    [
      'redis',
      `used memory max ${(s.redis.usedMemoryMaxBytes / MiB).toFixed(1)} MiB; ${fmt(s.redis.opsPerSecAvg)} ops/s; CPU avg ${s.redis.cpuPercentAvg.toFixed(0)}%; outbox max ${fmt(s.redis.outboxMax)}`,
    ],
    ...Object.entries(s.procs).map(([n, p]): [string, string] => [
      `process: ${n}`,
      `CPU avg ${p.cpuPercentAvg.toFixed(0)}%, RSS max ${(p.rssMaxBytes / MiB).toFixed(0)} MiB`,
    ]),
    [
      'machine',
      `${s.machine.cores} cores, busy ${s.machine.cpuPercentAvg.toFixed(0)}% of ${s.machine.cores * 100}%, other processes ${s.machine.othersCpuPercentAvg.toFixed(0)}%, load average up to ${s.machine.loadAvg1Max.toFixed(1)}`,
    ],
  ];

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Giftwire load test: ${esc(r.scenario)} ${esc(r.startedAt)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#111}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.verdict{display:inline-block;padding:4px 10px;border-radius:6px;font-weight:600;color:#fff}
.pass{background:#16a34a}.fail{background:#dc2626}
code{background:#f3f4f6;padding:2px 5px;border-radius:4px;font-size:12.5px;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:5px 8px;text-align:left;vertical-align:top}
th{width:32%;font-weight:500;color:#374151}
.ok{color:#16a34a;font-weight:600}.warn{color:#ca8a04;font-weight:600}.no{color:#dc2626;font-weight:600}.muted{color:#6b7280}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:18px}
.chart{margin:0;border:1px solid #e5e7eb;border-radius:8px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#374151}svg .axis{fill:#6b7280}.grid{stroke:#eef0f3}
.ref{stroke:#dc2626;stroke-dasharray:3 3}.reflabel{fill:#dc2626}.empty{color:#9ca3af}
</style></head><body>
<h1>Giftwire load test: ${esc(r.scenario)}</h1>
<p><span class="verdict ${r.ok ? 'pass' : 'fail'}">${r.ok ? 'PASS: no coin lost, every gift delivered and settled once' : 'FAIL: see the checks'}</span></p>
<p class="muted">${esc(r.startedAt)} · ${esc(r.machine.cpuModel)} × ${r.machine.cpus} · ${r.machine.memGiB.toFixed(1)} GiB · Node ${esc(r.machine.node)} · ${esc(r.machine.redis)}</p>
<p><code>${esc(r.command)}</code></p>
<p class="muted">${r.setup.streams} stream(s), ${r.setup.senders} senders, ${r.setup.watchers} watchers (${r.setup.parsingWatchers} parsing), ${r.options.agents} load-generator processes; ramp-up ${r.options.rampUpSec} s, full rate ${fmt(r.options.rate)} gifts/s for ${r.options.durationSec} s; mix ${esc(r.options.mix.map((m) => `${m.giftId}:${m.weight}`).join(','))}. ${r.setup.battle ? `Battle ${esc(r.setup.battle)}.` : esc(r.setup.battleNote ?? '')} Figures over the steady window t=${s.window.fromSec}..${s.window.toSec} s.</p>
<h2>Checks</h2>
<table>${r.checks.map((c) => `<tr><th class="${c.ok ? 'ok' : c.fatal === false ? 'warn' : 'no'}">${c.ok ? 'PASS' : c.fatal === false ? 'WARN' : 'FAIL'}</th><td>${esc(c.name)}<br><span class="muted">${esc(c.detail)}</span></td></tr>`).join('')}</table>
<h2>Targets</h2>
<table>${r.targets.map((t) => `<tr><th class="${t.met ? 'ok' : 'no'}">${t.met ? 'met' : 'not met'}</th><td>${esc(t.name)}: ${esc(t.measured)} <span class="muted">(target ${esc(t.target)})${t.comparable ? '' : ' · run not sized like the target'}</span></td></tr>`).join('')}</table>
${
  r.ceilings
    ? `<h2>Raw ceilings (same machine, right after the run)</h2><table>${ceilingLines(r.ceilings)
        .slice(2)
        .map((l) => `<tr><td>${esc(l.trim())}</td></tr>`)
        .join('')}</table>`
    : ''
}
<h2>Figures</h2>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Charts</h2>
<div class="charts">${charts.join('\n')}</div>
</body></html>
`;
}
