import { redisGiftCeiling } from '../lib/ceilings/redis-gift';

/** `npx tsx load-tests/bench/redis-gift.ts [requests]`: redis-benchmark of the gift script (see lib/ceilings/redis-gift.ts). */
redisGiftCeiling({ requests: Number(process.argv[2] ?? 100_000) })
  .then((r) => {
    for (const run of r.runs) {
      console.log(
        `[redis-gift] ${run.script}, ${run.clients} clients, pipeline ${run.pipeline}: ${(run.rps * (run.giftsPerCall ?? 1)).toLocaleString('en-US')} gifts/s (${run.giftsPerCall ?? 1} a call), p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms (${run.accepted} of ${run.requests * (run.giftsPerCall ?? 1)} accepted)`,
      );
    }
  })
  .catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  });
