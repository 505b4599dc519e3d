/**
 * Redis cost of one gift, by phase: how much of Redis's single core each accepted gift takes, and how many commands,
 * from its acceptance (wallet, room and boards phases) to its settlement.
 *
 *   npx tsx load-tests/bench-redis-per-gift.ts [--gifts 20000] [--senders 200] [--in-flight 300] [--settle-batch 40]
 *                                              [--by-script]
 *
 * One stream of one creator (a gift war's hot room), --senders fans sending 1-coin roses, --in-flight accept calls
 * at a time through acceptGift (the real phases and their micro-batching), then settleGifts over the accepted gifts
 * in jobs of --settle-batch ids, four at a time (what a settlement worker does with a 'settle' job). For each part:
 * Redis's own CPU (INFO cpu, main thread) and its commands (INFO commandstats, script calls and the commands run
 * inside them) divided by the gifts. --by-script also times every call with Redis's SLOWLOG (threshold 0, which
 * slows Redis down: compare its shares, not its totals, with a run without it) and gives each script's time per gift,
 * its single and batch forms together. Starts its own redis-server (AOF everysec, no RDB) unless REDIS_URL is set.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { User } from '../shared/contracts/users';
import type { Deps } from '../shared/domain/deps';
import { acceptGift } from '../shared/domain/gifts';
import { settleGifts } from '../shared/domain/settlement';
import { startStream } from '../shared/domain/streams';
import { loadScriptDefs } from '../shared/redis/scripts';
import { fundViewer, testAdult } from '../shared/testing/money';
import { benchDeps, redisLoad, withBenchRedis, type RedisLoad } from './lib/bench-redis';

const { values: opt } = parseArgs({
  options: {
    gifts: { type: 'string', default: '20000' },
    senders: { type: 'string', default: '200' },
    'in-flight': { type: 'string', default: '300' },
    'settle-batch': { type: 'string', default: '40' },
    'by-script': { type: 'boolean', default: false },
  },
});
const GIFTS = Number(opt.gifts);
const SENDERS = Number(opt.senders);
const IN_FLIGHT = Number(opt['in-flight']);
const SETTLE_BATCH = Number(opt['settle-batch']);

function report(label: string, before: RedisLoad, after: RedisLoad, gifts: number, seconds: number): void {
  const perGift = (n: number) => (n / gifts).toFixed(2);
  const deltas = [...after.calls]
    .map(([c, n]) => [c, n - (before.calls.get(c) ?? 0)] as const)
    .filter(([, n]) => n > 0);
  deltas.sort((a, b) => b[1] - a[1]);
  const scripts = deltas.filter(([c]) => c === 'evalsha' || c === 'eval').reduce((s, [, n]) => s + n, 0);
  const all = deltas.filter(([c]) => c !== 'info').reduce((s, [, n]) => s + n, 0);
  const cpuUs = ((after.cpuSec - before.cpuSec) * 1e6) / gifts;
  console.log(
    `${label}: ${gifts} gifts in ${seconds.toFixed(2)} s; Redis CPU ${cpuUs.toFixed(1)} µs per gift; ` +
      `${perGift(all)} commands per gift (${perGift(scripts)} script calls)`,
  );
  console.log(
    `  busiest: ${deltas
      .slice(0, 8)
      .map(([c, n]) => `${c} ${perGift(n)}`)
      .join(', ')}`,
  );
}

/** Script name by SHA-1 of its Lua (what EVALSHA names). */
const scriptNames = new Map(
  loadScriptDefs().map((d) => [createHash('sha1').update(d.lua).digest('hex'), d.command.replace(/Batch$/, '')]),
);

/** Time in each script by SLOWLOG, per gift (a batch's time is shared by its gifts: the phase's total counts). */
async function bySlowlog(deps: Deps, gifts: number): Promise<void> {
  const entries = (await deps.redis.call('SLOWLOG', 'GET', '-1')) as [number, number, number, string[]][];
  const us = new Map<string, number>();
  for (const [, , micros, args] of entries) {
    if (String(args[0]).toLowerCase() !== 'evalsha') continue; // the commands inside scripts are in their time
    const name = scriptNames.get(String(args[1])) ?? String(args[1]).slice(0, 8);
    us.set(name, (us.get(name) ?? 0) + micros);
  }
  const rows = [...us].sort((a, b) => b[1] - a[1]);
  console.log(`  by script (SLOWLOG): ${rows.map(([n, t]) => `${n} ${(t / gifts).toFixed(1)} µs`).join(', ')}`);
  await deps.redis.call('SLOWLOG', 'RESET');
}

async function main() {
  await withBenchRedis(async (redisUrl) => {
    const deps = benchDeps(redisUrl);
    try {
      const fans: User[] = [];
      for (let i = 0; i < SENDERS; i++) {
        const fan = await testAdult(deps);
        await fundViewer(deps, fan, Math.ceil(GIFTS / SENDERS) + 10);
        fans.push(fan);
      }
      const creator = await testAdult(deps);
      const streamId = (await startStream(deps, creator.id, 'bench')).id;

      const ids: string[] = [];
      let next = 0;
      const sender = async () => {
        while (next < GIFTS) {
          const n = next++;
          const a = await acceptGift(deps, {
            sender: fans[n % fans.length]!,
            streamId,
            giftId: 'rose',
            count: 1,
            idempotencyKey: randomUUID(),
          });
          ids.push(a.gift.id);
        }
      };
      if (opt['by-script']) {
        await deps.redis.config('SET', 'slowlog-log-slower-than', '0');
        await deps.redis.config('SET', 'slowlog-max-len', String(GIFTS * 70));
        await deps.redis.call('SLOWLOG', 'RESET');
      }
      let before = await redisLoad(deps);
      let started = Date.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
      report('accept (wallet, room, boards)', before, await redisLoad(deps), ids.length, (Date.now() - started) / 1000);
      if (opt['by-script']) await bySlowlog(deps, ids.length);

      const jobs: string[][] = [];
      for (let i = 0; i < ids.length; i += SETTLE_BATCH) jobs.push(ids.slice(i, i + SETTLE_BATCH));
      before = await redisLoad(deps);
      started = Date.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let job = jobs.shift(); job; job = jobs.shift()) {
            const results = await settleGifts(deps, job);
            if (results.some((r) => r.outcome !== 'settled')) throw new Error('a gift was not settled');
          }
        }),
      );
      report('settle', before, await redisLoad(deps), ids.length, (Date.now() - started) / 1000);
      if (opt['by-script']) await bySlowlog(deps, ids.length);
    } finally {
      await deps.redis.quit();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
