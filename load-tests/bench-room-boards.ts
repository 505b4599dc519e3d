/**
 * Redis cost of the room phase and the creator's boards step alone, per gift: what bench-redis-per-gift.ts measures
 * for the three phases together, without the wallet phase's share, and with a say in how often a sender repeats.
 *
 *   npx tsx load-tests/bench-room-boards.ts [--gifts 20000] [--senders 200] [--in-flight 300] [--phase room|boards|both]
 *
 * One live stream of one creator; --in-flight calls at a time, sender n % --senders, 1-coin roses whose `at` moves
 * 1 ms every 10 gifts. `room` runs the room phase (lua/gift-room-11.lua and its batch) through the same
 * micro-batching as acceptGift, `boards` the boards step (gift-boards-12.lua and its batch), `both` finishGift
 * (room phase, then boards step). The gifts are held gifts as those phases see them: neither reads the wallet phase's
 * record, so none is written (the wallet phase is bench-redis-per-gift.ts's). Fewer senders means more gifts of one
 * sender in one call (a gift war's top gifters). Prints Redis's own CPU (INFO cpu, main thread) and commands (INFO
 * commandstats) per gift and the gifts per call. Starts its own redis-server (AOF everysec, no RDB) unless REDIS_URL is
 * set.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { redisNow } from '../shared/domain/clock';
import { finishGift, roomPhaseArgs, runBoardsStep, type HeldGift } from '../shared/domain/gift-room';
import { startStream } from '../shared/domain/streams';
import { batchCounts, runBatched } from '../shared/redis/script-batches';
import { testAdult } from '../shared/testing/money';
import { benchDeps, redisLoad, withBenchRedis, type RedisLoad } from './lib/bench-redis';
import { heldGift } from '../shared/testing/held-gift';

const { values: opt } = parseArgs({
  options: {
    gifts: { type: 'string', default: '20000' },
    senders: { type: 'string', default: '200' },
    'in-flight': { type: 'string', default: '300' },
    phase: { type: 'string', default: 'both' },
  },
});
const GIFTS = Number(opt.gifts);
const SENDERS = Number(opt.senders);
const IN_FLIGHT = Number(opt['in-flight']);
const PHASE = opt.phase;
if (PHASE !== 'room' && PHASE !== 'boards' && PHASE !== 'both') throw new Error('--phase is room, boards or both');

/** Commands Redis ran, the probes' own INFO aside. */
const commands = (load: RedisLoad) => [...load.calls].reduce((sum, [c, n]) => (c === 'info' ? sum : sum + n), 0);

async function main() {
  await withBenchRedis(async (redisUrl) => {
    const deps = benchDeps(redisUrl);
    try {
      const creator = await testAdult(deps);
      const streamId = (await startStream(deps, creator.id, 'bench')).id;
      const senders = Array.from({ length: SENDERS }, () => randomUUID());
      const at = await redisNow(deps);
      const gift = (n: number): HeldGift => {
        const senderId = senders[n % SENDERS]!;
        return heldGift({
          senderId,
          senderName: `fan${n % SENDERS}`,
          streamId,
          creatorId: creator.id,
          at: at + Math.floor(n / 10),
        });
      };
      const run = async (g: HeldGift) => {
        if (PHASE === 'both') return finishGift(deps, g);
        if (PHASE === 'room')
          return runBatched(deps, 'giftRoom', 'giftRoomBatch', `s:${streamId}`, roomPhaseArgs(deps, g, '', ''));
        return runBoardsStep(deps, g);
      };
      await run(gift(GIFTS)); // one gift more, unmeasured: loads the scripts and the stream view
      const calls = () => (batchCounts.get('giftRoom')?.calls ?? 0) + (batchCounts.get('giftBoards')?.calls ?? 0);
      const callsBefore = calls();
      const before = await redisLoad(deps);
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < GIFTS) await run(gift(next++));
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      const after = await redisLoad(deps);
      const perCall = GIFTS / ((calls() - callsBefore) / (PHASE === 'both' ? 2 : 1));
      console.log(
        `${PHASE}: ${GIFTS} gifts from ${SENDERS} senders in ${seconds.toFixed(2)} s; ` +
          `Redis CPU ${(((after.cpuSec - before.cpuSec) * 1e6) / GIFTS).toFixed(1)} µs per gift; ` +
          `${((commands(after) - commands(before)) / GIFTS).toFixed(2)} commands per gift; ${perCall.toFixed(1)} gifts per call`,
      );
    } finally {
      await deps.redis.quit();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
