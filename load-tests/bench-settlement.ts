/**
 * Settlement benchmark: how fast the settlement workers post gifts, and how long a gift waits to be settled.
 *
 *   npx tsx load-tests/bench-settlement.ts [--rate 2000] [--seconds 10] [--workers 1] [--concurrency 4]
 *                                          [--backlog 20000] [--batch-max 500] [--batch-ms 20]
 *
 * 1. Steady stream: gifts are accepted (the real two phases of acceptGift) at --rate per second for --seconds, handed to
 *    the settlement queue by the same batching as the server's outbox relay, and settled by --workers real worker
 *    processes (workers/index.ts). Reported: gifts settled per second and the lag (settledAt − accepted at) p50,
 *    p99, max, read from the gift records afterwards.
 * 2. Backlog: --backlog gifts are accepted with no hand-over, then enqueued at once; the time the workers take to
 *    empty the outbox gives their peak throughput.
 *
 * Starts its own redis-server (AOF everysec, no RDB) in a temporary folder unless REDIS_URL is set (then it uses a
 * fresh key prefix there and leaves the keys). The accepting side runs in this process, on the same machine as the
 * workers and Redis: figures depend on the machine (see docs/performance.md).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { testConfig } from '../shared/config';
import type { User } from '../shared/contracts/users';
import { Batcher } from '../shared/runtime/batcher';
import type { Deps } from '../shared/domain/deps';
import { acceptGift } from '../shared/domain/gifts';
import { QUEUES, Queues, enqueueSettlement } from '../shared/runtime/queues';
import { startStream } from '../shared/domain/streams';
import { outboxEntries } from '../shared/runtime/sweeper';
import { createLogger } from '../shared/logger';
import { createRedis } from '../shared/redis/client';
import { createKeys } from '../shared/redis/keys';
import { fundViewer, testAdult } from '../shared/testing/money';
import { killAllEntries, spawnEntry, type EntryProcess } from '../shared/testing/processes';
import { withBenchRedis } from './lib/bench-redis';
import { percentileOfSorted } from './lib/stats';

const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    backlog: { type: 'string', default: '20000' },
    'batch-max': { type: 'string', default: '500' },
    'batch-ms': { type: 'string', default: '20' },
  },
});
const RATE = Number(opt.rate);
const SECONDS = Number(opt.seconds);
const WORKERS = Number(opt.workers);
const BACKLOG = Number(opt.backlog);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** p in percent, over sorted values (the simulator's nearest-rank percentile). */
const percentile = (sorted: number[], p: number) => percentileOfSorted(sorted, p / 100);

interface Scene {
  fans: User[];
  streams: string[];
}

async function scene(deps: Deps, gifts: number): Promise<Scene> {
  const fans: User[] = [];
  for (let i = 0; i < 50; i++) {
    const fan = await testAdult(deps);
    await fundViewer(deps, fan, Math.ceil((gifts * 5) / 50) + 100);
    fans.push(fan);
  }
  const streams: string[] = [];
  for (let i = 0; i < 10; i++) {
    const creator = await testAdult(deps);
    streams.push((await startStream(deps, creator.id, `bench ${i}`)).id);
  }
  return { fans, streams };
}

let n = 0;
async function acceptOne(deps: Deps, s: Scene): Promise<string> {
  n += 1;
  const a = await acceptGift(deps, {
    sender: s.fans[n % s.fans.length]!,
    streamId: s.streams[n % s.streams.length]!,
    giftId: 'rose',
    count: 1 + (n % 5),
    idempotencyKey: randomUUID(),
  });
  return a.gift.id;
}

async function waitOutboxEmpty(deps: Deps, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await outboxEntries(deps)).length === 0) return Date.now();
    if (Date.now() > deadline) throw new Error('the outbox did not empty in time');
    await sleep(5);
  }
}

/**
 * Two lags per gift: from its hand-over to the queue (when acceptGift returned) to settledAt, which is the
 * settlement pipeline's own (batch window, queue, worker); and from its `at` (the accept call's clock), which adds
 * the accepting side's own queueing when it is saturated.
 */
async function lags(
  deps: Deps,
  ids: string[],
  handedAt: Map<string, number>,
): Promise<{ lags: number[]; fromAt: number[]; firstAt: number; lastSettled: number }> {
  const out: number[] = [];
  const fromAt: number[] = [];
  let firstAt = Infinity;
  let lastSettled = 0;
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const rows = await Promise.all(chunk.map((id) => deps.redis.hmget(deps.keys.gift(id), 'at', 'settledAt')));
    for (const [j, row] of rows.entries()) {
      const [at, settledAt] = row.map(Number) as [number, number];
      out.push(settledAt - handedAt.get(chunk[j]!)!);
      fromAt.push(settledAt - at);
      firstAt = Math.min(firstAt, at);
      lastSettled = Math.max(lastSettled, settledAt);
    }
  }
  return { lags: out.sort((a, b) => a - b), fromAt: fromAt.sort((a, b) => a - b), firstAt, lastSettled };
}

async function steady(deps: Deps, queues: Queues, s: Scene) {
  const ids: string[] = [];
  const handedAt = new Map<string, number>();
  const batcher = new Batcher<string>({
    max: deps.config.settleBatchMax,
    everyMs: deps.config.settleBatchMs,
    flush: (batch) => enqueueSettlement(deps, queues.get(QUEUES.settlement), batch),
    onError: (err) => console.error('enqueue failed', err),
  });
  const tickMs = 10;
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  while (Date.now() - started < SECONDS * 1000) {
    // open loop, paced by the clock (not by tick count: timers run late on a busy machine)
    const target = Math.floor((RATE * (Date.now() - started)) / 1000);
    for (; sent < target; sent++) {
      const p: Promise<void> = acceptOne(deps, s).then((id) => {
        ids.push(id);
        handedAt.set(id, Date.now());
        batcher.add(id);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await sleep(tickMs);
  }
  await Promise.all([...inFlight]);
  await batcher.close();
  const acceptedFor = (Date.now() - started) / 1000;
  await waitOutboxEmpty(deps, 120_000);
  const { lags: l, fromAt, firstAt, lastSettled } = await lags(deps, ids, handedAt);
  return {
    gifts: ids.length,
    acceptedPerSec: Math.round(ids.length / acceptedFor),
    settledPerSec: Math.round(ids.length / ((lastSettled - firstAt) / 1000)),
    lagP50: percentile(l, 50),
    lagP99: percentile(l, 99),
    lagMax: l[l.length - 1]!,
    fromAtP99: percentile(fromAt, 99),
  };
}

async function backlog(deps: Deps, queues: Queues, s: Scene) {
  const ids: string[] = [];
  for (let i = 0; i < BACKLOG; i += 200) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(200, BACKLOG - i) }, () => acceptOne(deps, s)))));
  }
  const started = Date.now();
  await enqueueSettlement(deps, queues.get(QUEUES.settlement), ids);
  const done = await waitOutboxEmpty(deps, 300_000);
  return {
    gifts: ids.length,
    seconds: (done - started) / 1000,
    settledPerSec: Math.round(ids.length / ((done - started) / 1000)),
  };
}

async function main() {
  await withBenchRedis(async (redisUrl) => {
    const config = testConfig({
      redisUrl,
      keyPrefix: `bench${randomUUID().slice(0, 8)}`,
      settleBatchMax: Number(opt['batch-max']),
      settleBatchMs: Number(opt['batch-ms']),
    });
    const redis = createRedis(redisUrl);
    const deps: Deps = { config, redis, keys: createKeys(config.keyPrefix), log: createLogger('silent', 'bench') };
    const queues = new Queues(deps);
    const workers: EntryProcess[] = [];
    try {
      const s = await scene(deps, RATE * SECONDS + BACKLOG);
      for (let i = 0; i < WORKERS; i++) {
        workers.push(
          spawnEntry('workers/index.ts', {
            REDIS_URL: redisUrl,
            KEY_PREFIX: config.keyPrefix,
            NODE_ENV: 'test',
            WORKER_CONCURRENCY: String(opt.concurrency),
            SETTLE_BATCH_MAX: String(opt['batch-max']),
          }),
        );
      }
      while ((await queues.get(QUEUES.payouts).getWorkersCount()) < WORKERS) await sleep(100);

      console.log(
        `settlement bench: ${WORKERS} worker process(es) × concurrency ${opt.concurrency}, batch ≤ ${opt['batch-max']} gifts / ${opt['batch-ms']} ms`,
      );
      const st = await steady(deps, queues, s);
      console.log(
        `steady stream at ${RATE}/s for ${SECONDS}s: ${st.gifts} gifts, accepted ${st.acceptedPerSec}/s, settled ${st.settledPerSec}/s; settlement lag p50 ${st.lagP50} ms, p99 ${st.lagP99} ms, max ${st.lagMax} ms (from the gift's at: p99 ${st.fromAtP99} ms)`,
      );
      const bl = await backlog(deps, queues, s);
      console.log(
        `backlog of ${bl.gifts} gifts drained in ${bl.seconds.toFixed(2)} s: ${bl.settledPerSec} gifts settled/s`,
      );
    } finally {
      for (const w of workers) await w.stop();
      await killAllEntries();
      await queues.close();
      await redis.quit();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
