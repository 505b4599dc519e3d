/**
 * Side by side figures of load runs, from their result.json files:
 *   npx tsx load-tests/compare.ts <label>=<result dir or result.json> ...
 * Prints one markdown table (the one docs/performance.md holds): throughput, ack and gift-to-screen latencies,
 * fan-out per watcher, and the CPU each 1,000 accepted gifts cost the server, the workers and Redis (CPU-seconds,
 * from the run's own probes over its steady window), and the raw ceilings of the gift scripts when measured.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from './lib/result';

function load(where: string): RunResult {
  const file = statSync(where).isDirectory() ? path.join(where, 'result.json') : where;
  return JSON.parse(readFileSync(file, 'utf8')) as RunResult;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const one = (n: number) => n.toFixed(n < 10 ? 2 : 1);

/** CPU-seconds per 1,000 accepted gifts from an average CPU percentage (100 = one core) and a rate. */
const perThousand = (cpuPercent: number, perSec: number) => (perSec > 0 ? (cpuPercent / 100 / perSec) * 1000 : NaN);

export function row(label: string, r: RunResult): string[] {
  const s = r.summary;
  const workers = Object.entries(s.procs)
    .filter(([name]) => name.startsWith('workers'))
    .reduce((a, [, p]) => a + p.cpuPercentAvg, 0);
  const ceiling = (r.ceilings?.redisGift.runs ?? [])
    .filter((c) => c.pipeline === 1)
    .map((c) => `${c.script.replace(/\.lua$/, '')} ${int(c.rps * (c.giftsPerCall ?? 1))}/s`)
    .join(', ');
  return [
    label,
    int(s.offeredPerSec),
    int(s.acceptedPerSec),
    `${int(s.ackMs.p50)} / ${int(s.ackMs.p99)}`,
    `${int(s.screenMs.p99)} / ${int(s.creatorScreenMs.p99)}`,
    `${one(s.framesPerWatcherPerSec)} / ${one(s.bytesPerWatcherPerSec / 1024)}`,
    `${one(s.server.cpuPercentAvg)}% · ${one(perThousand(s.server.cpuPercentAvg, s.acceptedPerSec))}`,
    one(perThousand(workers, s.acceptedPerSec)),
    `${one(s.redis.cpuPercentAvg)}% · ${one(perThousand(s.redis.cpuPercentAvg, s.acceptedPerSec))}`,
    `${one(s.machine.loadAvg1Max)} / ${one(s.machine.othersCpuPercentAvg)}%`,
    giftsPerCall(r),
    ceiling || '—',
  ];
}

export const HEADER = [
  'run',
  'offered/s',
  'accepted/s',
  'ack p50 / p99 ms',
  'to screen p99 ms (watchers / creator)',
  'per watcher: frames/s / KiB/s',
  'server CPU · s per 1,000 gifts',
  'workers s per 1,000',
  'Redis CPU · s per 1,000 gifts',
  'load avg max / others',
  'gifts per Redis call (steady window)',
  'raw ceilings (no pipelining)',
];

/** Gifts the gift phases' Redis calls carried on average over the steady window (micro-batching), from /metrics. */
function giftsPerCall(r: RunResult): string {
  const { fromSec, toSec } = r.summary.window;
  const inWindow = r.probes.filter(
    (p) => p.t >= fromSec && p.t <= toSec && typeof p.server?.giftScriptCalls === 'number',
  );
  const first = inWindow[0]?.server;
  const last = inWindow.at(-1)?.server;
  if (!first || !last || last.giftScriptCalls === first.giftScriptCalls) return '—';
  const calls = last.giftScriptCalls! - first.giftScriptCalls!;
  return (((last.giftScriptGifts ?? 0) - (first.giftScriptGifts ?? 0)) / calls).toFixed(2);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help')) {
    console.log('usage: npx tsx load-tests/compare.ts <label>=<result dir or result.json> ...');
    process.exit(args.length === 0 ? 2 : 0);
  }
  const lines = [HEADER, HEADER.map(() => '---')];
  for (const a of args) {
    const eq = a.indexOf('=');
    const [label, where] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [path.basename(a), a];
    lines.push(row(label, load(where)));
  }
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
}

if (require.main === module) main();
