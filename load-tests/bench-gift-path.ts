/**
 * First benchmark of the gift path: one real server process, N socket senders, gifts accepted per second and ack
 * latency; beside it, the raw rate of the wallet phase's Lua script (gift-hold) driven by redis-benchmark (EVALSHA).
 *
 *   npx tsx load-tests/bench-gift-path.ts [--senders 50] [--window 4] [--seconds 10] [--rb-requests 200000] [--rb-clients 50]
 *
 * Starts its own redis-server (AOF everysec, no RDB) in a temporary folder unless REDIS_URL is set (then it uses a
 * fresh key prefix there and leaves the keys). The rate limit is raised so that it stays in the path but refuses
 * nothing. Results depend on the machine: see docs/performance.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { io as ioClient, type Socket } from 'socket.io-client';
import { findGift } from '../shared/domain/catalog';
import { createKeys, userShard } from '../shared/redis/keys';
import { loadScriptDefs } from '../shared/redis/scripts';
import { waitForHealth } from '../shared/process';
import { freePort } from '../shared/testing/free-port';
import { withBenchRedis } from './lib/bench-redis';
import { percentileOfSorted } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const ADMIN = 'bench-admin-token';

const { values: opt } = parseArgs({
  options: {
    senders: { type: 'string', default: '50' },
    window: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '10' },
    'rb-requests': { type: 'string', default: '200000' },
    'rb-clients': { type: 'string', default: '50' },
  },
});
const SENDERS = Number(opt.senders);
const WINDOW = Number(opt.window);
const SECONDS = Number(opt.seconds);

/** p in percent, over sorted values (the simulator's nearest-rank percentile). */
const percentile = (sorted: number[], p: number) => percentileOfSorted(sorted, p / 100);

async function api(
  base: string,
  method: string,
  p: string,
  body?: unknown,
  token = ADMIN,
  headers: Record<string, string> = {},
) {
  const res = await fetch(base + p, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function connect(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Sockets through one server process: closed loop, WINDOW gifts in flight per sender. */
async function socketBench(redisUrl: string) {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'server/index.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SOCKETS_PER_ADDRESS: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      REDIS_URL: redisUrl,
      KEY_PREFIX: prefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN: ADMIN,
      GIFT_RATE_PER_SEC: '1000000',
      GIFT_BURST: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const sockets: Socket[] = [];
  try {
    await waitForHealth(url, [child], { output: () => out });
    const creator = await api(url, 'POST', '/v1/admin/users', {
      displayName: 'Creator',
      birthDate: '1990-01-01',
      verified: true,
    });
    const streamId: string = (await api(url, 'POST', '/v1/streams', { title: 'bench' }, creator.token)).stream.id;
    const senders = await Promise.all(
      Array.from({ length: SENDERS }, async (_, i) => {
        const u = await api(url, 'POST', '/v1/admin/users', { displayName: `fan${i}`, birthDate: '1990-01-01' });
        await api(url, 'POST', '/v1/wallet/recharges', { coins: 1_000_000, payment: { token: 'tok_ok' } }, u.token, {
          'idempotency-key': randomUUID(),
        });
        return u.token as string;
      }),
    );
    const watcher = await connect(url, {});
    sockets.push(watcher);
    let frames = 0;
    let units = 0;
    watcher.on('gifts', (f: { items: Array<{ count: number }>; rest?: { gifts: number } }) => {
      frames += 1;
      units += f.items.reduce((n, i) => n + i.count, 0) + (f.rest?.gifts ?? 0);
    });
    await new Promise((r) => watcher.emit('stream:join', { streamId }, r));
    for (const token of senders) sockets.push(await connect(url, { token }));

    const latencies: number[] = [];
    const errors = new Map<string, number>();
    let measuring = false;
    let stop = false;
    let accepted = 0;
    const loop = async (s: Socket) => {
      while (!stop) {
        const t0 = performance.now();
        const ack = (await s
          .timeout(30_000)
          .emitWithAck('gift:send', { streamId, giftId: 'rose', idempotencyKey: randomUUID() })) as {
          ok: boolean;
          error?: { code: string };
        };
        if (!measuring) continue;
        latencies.push(performance.now() - t0);
        if (ack.ok) accepted += 1;
        else errors.set(ack.error!.code, (errors.get(ack.error!.code) ?? 0) + 1);
      }
    };
    const loops = sockets.slice(1).flatMap((s) => Array.from({ length: WINDOW }, () => loop(s)));
    await new Promise((r) => setTimeout(r, 1000)); // warm-up
    measuring = true;
    const unitsBefore = units;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    stop = true;
    await Promise.all(loops);
    latencies.sort((a, b) => a - b);
    return {
      accepted,
      elapsed,
      errors: Object.fromEntries(errors),
      frames,
      unitsSeen: units - unitsBefore,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The last line of redis-benchmark --csv: test, rps, avg, min, p50, p95, p99, max. */
function csvRow(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .at(-1)!
    .split(',')
    .map((c) => c.replace(/"/g, ''));
}

/**
 * redis-benchmark EVALSHA of gift-hold-6 (the wallet phase of a gift) with realistic keys: a fresh idempotency key
 * and gift event id per call. The room phase has its own ceiling (load-tests/lib/ceilings/redis-gift.ts).
 */
async function scriptBench(redisUrl: string) {
  const prefix = `rb${randomUUID().slice(0, 8)}`;
  const k = createKeys(prefix);
  const redis = new Redis(redisUrl);
  try {
    const def = loadScriptDefs().find((d) => d.command === 'giftHold');
    if (!def) throw new Error('gift-hold script not found');
    const sha = (await redis.script('LOAD', def.lua)) as string;
    const sender = randomUUID();
    const creator = randomUUID();
    const streamId = randomUUID();
    const rose = findGift('rose')!;
    await redis.hset(k.wallet(sender), { coins: 1_000_000_000_000, purchased: 1_000_000_000_000 });
    await redis.hset(k.user(sender), { id: sender, displayName: 'Bench' });
    // same KEYS/ARGV layout as giftHoldArgs() in shared/domain/gifts.ts; __rand_int__ makes each call new
    const keys = [
      k.idem(sender, '__rand_int__'),
      k.wallet(sender),
      k.gift('__rand_int__'),
      k.outbox(userShard(sender)),
      k.txs(sender),
      k.user(sender),
    ];
    const argv = [
      `gift|${streamId}|rose|1`,
      String(48 * 3600 * 1000),
      '__rand_int__',
      sender,
      'stream',
      streamId,
      'rose',
      rose.name,
      String(rose.coins),
      '1',
      creator,
      '',
      // one sender sends every call: a bucket that never empties keeps the script on its accepting path
      '1000000000',
      '1000000000',
    ];
    const { hostname, port } = new URL(redisUrl);
    const n = Number(opt['rb-requests']);
    const rb = spawnSync(
      'redis-benchmark',
      [
        '-h',
        hostname,
        '-p',
        port || '6379',
        '-c',
        String(opt['rb-clients']),
        '-n',
        String(n),
        '-r',
        '2147483647',
        '--csv',
        'EVALSHA',
        sha,
        String(keys.length),
        ...keys,
        ...argv,
      ],
      { encoding: 'utf8' },
    );
    if (rb.status !== 0) throw new Error(`redis-benchmark failed: ${rb.stderr}`);
    const row = csvRow(rb.stdout);
    const accepted = await redis.zcard(k.outbox(userShard(sender)));
    // a plain SET on the same Redis at the same moment: how busy the machine is
    const set = spawnSync(
      'redis-benchmark',
      ['-h', hostname, '-p', port || '6379', '-c', String(opt['rb-clients']), '-n', '100000', '--csv', '-t', 'set'],
      { encoding: 'utf8' },
    );
    return {
      rps: Number(row[1]),
      p50: Number(row[4]),
      p99: Number(row[6]),
      requests: n,
      accepted,
      setRps: Number(csvRow(set.stdout)[1]),
    };
  } finally {
    redis.disconnect();
  }
}

async function main() {
  await withBenchRedis(async (redisUrl) => {
    console.log(`gift path through one server process: ${SENDERS} senders x ${WINDOW} in flight, ${SECONDS} s`);
    const s = await socketBench(redisUrl);
    console.log(
      `  accepted ${s.accepted} in ${s.elapsed.toFixed(1)} s = ${Math.round(s.accepted / s.elapsed)} gifts/s`,
    );
    console.log(
      `  ack latency ms: p50 ${s.p50.toFixed(1)}  p90 ${s.p90.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)}`,
    );
    console.log(`  errors ${JSON.stringify(s.errors)}; watcher frames ${s.frames} carrying ${s.unitsSeen} gifts`);
    console.log(`raw gift-hold script, the wallet phase (redis-benchmark EVALSHA, ${opt['rb-clients']} clients):`);
    const r = await scriptBench(redisUrl);
    console.log(
      `  ${Math.round(r.rps)} scripts/s (p50 ${r.p50} ms, p99 ${r.p99} ms); ${r.accepted} of ${r.requests} accepted as new gifts`,
    );
    console.log(
      `  for scale: redis-benchmark SET on the same Redis ${Math.round(r.setRps)} requests/s; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
