import type { MasterLoad } from './masters';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Check } from './checks';
import type { BroadcastCeiling } from './ceilings/broadcast';
import type { RedisGiftCeiling } from './ceilings/redis-gift';
import type { Options } from './options';
import type { ProbeSample } from './probes';
import type { Histogram } from './stats';
import type { RunSummary, TargetResult } from './summary';
import type { SecondRow } from './timeline';

/** The JSON result file of a run (result.json); the HTML report is rendered from it. */
export interface RunResult {
  version: 1;
  ok: boolean;
  scenario: string;
  command: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; redis: string };
  target: { url: string; local: boolean };
  options: Omit<Options, 'adminToken'>;
  setup: {
    streams: number;
    senders: number;
    watchers: number;
    parsingWatchers: number;
    battle: string | null;
    battleNote?: string;
    connectFailures: number;
    connectErrors: string[];
    setupSec: number;
  };
  summary: RunSummary;
  targets: TargetResult[];
  checks: Check[];
  timeline: SecondRow[];
  settlementBySecond: Array<{ sec: number; count: number; p50: number; p99: number }>;
  probes: ProbeSample[];
  histograms: { ack?: Histogram; screen?: Histogram; creatorScreen?: Histogram; settlement?: Histogram };
  warnings: string[];
  /** Raw ceilings measured right after the run (--ceilings). */
  ceilings?: Ceilings;
  /** What each Redis master did from the first gift to the end of settlement (one row on one Redis). */
  redisMasters?: MasterLoad[];
}

export interface Ceilings {
  redisGift: RedisGiftCeiling;
  broadcast: BroadcastCeiling;
}

export function machineInfo(): RunResult['machine'] {
  let redis = 'redis-server not found';
  try {
    redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
  } catch {
    /* reported as not found */
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    redis,
  };
}

/** The command line as typed (npm run load -- ...), for the report. */
export function commandLine(argv: string[]): string {
  const quoted = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  return `npm run load -- ${quoted.join(' ')}`.trim();
}
