import { readFileSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { RedisConnection } from '../../shared/redis/client';
import { masters } from '../../shared/redis/scan';
import { USER_SHARDS, type Keys } from '../../shared/redis/keys';
import type { Api } from './api';

/**
 * Once a second, what the system under test is doing: the server's own Prometheus metrics (CPU, event-loop
 * delay, memory, connected sockets), Redis (INFO memory/clients/stats/cpu, the settlement outbox), and, for
 * processes on this machine, CPU and RSS from /proc (the workers and Redis have no /metrics; the load
 * generator's own cost is measured the same way).
 */
export interface ProbeSample {
  /** Seconds since t0 (negative during setup). */
  t: number;
  server?: {
    cpuPercent: number;
    eventLoopP99Ms: number;
    eventLoopMaxMs: number;
    rssBytes: number;
    heapUsedBytes: number;
    sockets: number | null;
    /** Gift phase Redis calls and the gifts they carried so far (micro-batching); null before #14. */
    giftScriptCalls?: number | null;
    giftScriptGifts?: number | null;
  };
  redis?: {
    usedMemory: number;
    rss: number;
    clients: number;
    opsPerSec: number;
    cpuPercent: number;
    outbox: number;
    oldestHeldMs: number;
  };
  /** CPU % (100 = one core) and RSS of local processes by name. */
  procs: Record<string, { cpuPercent: number; rssBytes: number }>;
  /** The whole machine: CPU % busy (100 = one core; cores x 100 = all), and the 1-minute load average. */
  machine?: { cpuPercent: number; loadAvg1: number };
}

/** Busy and total jiffies of all CPUs (/proc/stat), to tell what other processes took from the run. */
export function machineJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Values of a Prometheus text exposition, by metric name (labels ignored, summed). */
export function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const v = Number(m[3]);
    if (Number.isFinite(v)) out.set(m[1]!, (out.get(m[1]!) ?? 0) + v);
  }
  return out;
}

export function parseRedisInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

let clockTicks = 0;
function ticksPerSecond(): number {
  if (!clockTicks) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds and RSS of a process from /proc (Linux); null when it is gone or not Linux. */
export function procStat(pid: number): { cpuSec: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": field 3 is index 0, so utime (14) is 11, stime (15) is 12, rss (24) is 21.
    const cpuSec = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
    return { cpuSec, rssBytes: Number(fields[21]) * 4096 };
  } catch {
    return null;
  }
}

/** INFO of every master (one on one Redis), numeric fields summed: a cluster's memory, clients, ops and CPU. */
async function infoOfMasters(redis: RedisConnection): Promise<Map<string, string>> {
  if (redis.status !== 'ready') await redis.ping();
  const infos = (await Promise.all(masters(redis).map((node) => node.info()))).map(parseRedisInfo);
  if (infos.length === 1) return infos[0]!;
  const sum = new Map<string, string>();
  for (const name of [
    'used_cpu_sys',
    'used_cpu_user',
    'used_memory',
    'used_memory_rss',
    'connected_clients',
    'instantaneous_ops_per_sec',
  ])
    sum.set(name, String(infos.reduce((a, i) => a + Number(i.get(name) ?? 0), 0)));
  return sum;
}

export class Probes {
  readonly samples: ProbeSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: {
    at: number;
    serverCpu?: { value: number; at: number };
    redisCpu?: { value: number; at: number };
    procs: Record<string, number>;
    machine?: { busy: number; total: number };
  } = { at: 0, procs: {} };
  private metricsWarned = false;

  constructor(
    private readonly api: Api,
    private readonly redis: RedisConnection | undefined,
    private readonly keys: Keys | undefined,
    /** Local processes to watch, by name; a function because the agents start after the probes. */
    private readonly pids: () => Record<string, number[]>,
    private readonly onWarning: (line: string) => void,
  ) {}

  /** Samples every second; `t0()` gives the run's second 0 (or 0 before it is known). */
  start(t0: () => number): void {
    const loop = async () => {
      const began = Date.now();
      try {
        await this.sample(t0());
      } catch (err) {
        this.onWarning(`probe failed: ${(err as Error).message}`);
      }
      this.timer = setTimeout(() => void loop(), Math.max(100, 1000 - (Date.now() - began)));
    };
    void loop();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  latest(): ProbeSample | undefined {
    return this.samples[this.samples.length - 1];
  }

  private async sample(t0: number): Promise<void> {
    // /proc first, at one instant: a slow /metrics answer (a busy server) must not skew the CPU rates.
    const now = Date.now();
    const dt = this.last.at ? (now - this.last.at) / 1000 : 0;
    const sample: ProbeSample = { t: t0 ? (now - t0) / 1000 : -1, procs: {} };
    const procs: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.pids())) {
      let cpuSec = 0;
      let rss = 0;
      let alive = false;
      for (const pid of pids) {
        const s = pid > 0 ? procStat(pid) : null;
        if (!s) continue;
        alive = true;
        cpuSec += s.cpuSec;
        rss += s.rssBytes;
      }
      if (!alive) continue;
      procs[name] = cpuSec;
      const prev = this.last.procs[name];
      sample.procs[name] = { cpuPercent: dt && prev !== undefined ? ((cpuSec - prev) / dt) * 100 : 0, rssBytes: rss };
    }
    this.last.procs = procs;
    this.last.at = now;
    const jiffies = machineJiffies();
    if (jiffies && this.last.machine && jiffies.total > this.last.machine.total) {
      const cpus = os.availableParallelism();
      sample.machine = {
        cpuPercent: ((jiffies.busy - this.last.machine.busy) / (jiffies.total - this.last.machine.total)) * cpus * 100,
        loadAvg1: os.loadavg()[0]!,
      };
    }
    if (jiffies) this.last.machine = jiffies;

    const [metrics, info, outbox] = await Promise.all([
      this.api
        .metrics()
        .then((text) => ({ text, at: Date.now() }))
        .catch((err: Error) => {
          if (!this.metricsWarned) this.onWarning(`no server metrics: ${err.message}`);
          this.metricsWarned = true;
          return undefined;
        }),
      this.redis ? infoOfMasters(this.redis).then((r) => ({ r, at: Date.now() })) : undefined,
      this.redis && this.keys ? outboxProbe(this.redis, this.keys) : undefined,
    ]);
    if (metrics) {
      const m = parsePrometheus(metrics.text);
      const cpu = m.get('process_cpu_seconds_total') ?? 0;
      const prev = this.last.serverCpu;
      // Locally /proc is exact; remotely the server's own counter, over the time between two answers.
      const local = sample.procs.server;
      sample.server = {
        cpuPercent: local
          ? local.cpuPercent
          : prev
            ? ((cpu - prev.value) / Math.max(0.001, (metrics.at - prev.at) / 1000)) * 100
            : 0,
        eventLoopP99Ms: (m.get('nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000,
        eventLoopMaxMs: (m.get('nodejs_eventloop_lag_max_seconds') ?? 0) * 1000,
        rssBytes: m.get('process_resident_memory_bytes') ?? 0,
        heapUsedBytes: m.get('nodejs_heap_size_used_bytes') ?? 0,
        sockets: m.get('giftwire_sockets_connected') ?? null,
        giftScriptCalls: m.get('giftwire_gift_script_calls_total') ?? null,
        giftScriptGifts: m.get('giftwire_gift_script_gifts_total') ?? null,
      };
      this.last.serverCpu = { value: cpu, at: metrics.at };
    }
    if (info !== undefined) {
      const r = info.r;
      const cpu = Number(r.get('used_cpu_sys') ?? 0) + Number(r.get('used_cpu_user') ?? 0);
      const prev = this.last.redisCpu;
      const local = sample.procs.redis;
      const oldestScore = outbox?.oldest[1] !== undefined ? Number(outbox.oldest[1]) : undefined;
      sample.redis = {
        usedMemory: Number(r.get('used_memory') ?? 0),
        rss: Number(r.get('used_memory_rss') ?? 0),
        clients: Number(r.get('connected_clients') ?? 0),
        opsPerSec: Number(r.get('instantaneous_ops_per_sec') ?? 0),
        cpuPercent: local
          ? local.cpuPercent
          : prev
            ? ((cpu - prev.value) / Math.max(0.001, (info.at - prev.at) / 1000)) * 100
            : 0,
        outbox: outbox?.size ?? 0,
        oldestHeldMs: oldestScore !== undefined ? Math.max(0, now - oldestScore) : 0,
      };
      this.last.redisCpu = { value: cpu, at: info.at };
    }
    this.samples.push(sample);
  }
}

/** The outbox across every user shard: how many gifts are held, and the oldest one's [id, score]. */
async function outboxProbe(redis: RedisConnection, keys: Keys): Promise<{ oldest: string[]; size: number }> {
  const shards = Array.from({ length: USER_SHARDS }, (_, shard) => keys.outbox(shard));
  const [firsts, sizes] = await Promise.all([
    Promise.all(shards.map((key) => redis.zrange(key, 0, 0, 'WITHSCORES'))),
    Promise.all(shards.map((key) => redis.zcard(key))),
  ]);
  const oldest = firsts.filter((f) => f.length === 2).sort((a, b) => Number(a[1]) - Number(b[1]))[0] ?? [];
  return { oldest, size: sizes.reduce((a, b) => a + b, 0) };
}
