import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { acceptGift } from '../../../shared/domain/gifts';
import { jobsReconcileExtension } from '../../../shared/runtime/jobs-report';
import { QUEUES, Queues, enqueueSettlement } from '../../../shared/runtime/queues';
import { userShard } from '../../../shared/redis/keys';
import { formatReport, reconcile } from '../../../shared/domain/reconcile';
import { startStream } from '../../../shared/domain/streams';
import { walletRecord } from '../../../shared/domain/wallet';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { fundViewer, testAdult } from '../../../shared/testing/money';
import { killAllEntries, spawnEntry, type EntryProcess } from '../../../shared/testing/processes';

/**
 * Real worker processes (workers/index.ts) settle a few thousand gifts while the test SIGKILLs them at random
 * moments; fresh ones take over. In the end every gift is settled exactly once and the books balance.
 */
const ROUNDS = 4;
const GIFTS_PER_ROUND = 750;
const GIFT_PRICES: Record<string, number> = { rose: 1, 'finger-heart': 5, perfume: 20, doughnut: 30 };

describe('workers killed with SIGKILL mid-settlement', () => {
  let deps: ReturnType<typeof testDeps>;
  let queues: Queues;
  beforeAll(() => {
    deps = testDeps({ settleBatchMax: 25 });
    queues = new Queues(deps);
  });
  afterAll(async () => {
    await killAllEntries();
    await queues.close();
    await deps.close();
  });

  const workerEnv = () => ({
    REDIS_URL: deps.config.redisUrl!,
    KEY_PREFIX: deps.config.keyPrefix,
    NODE_ENV: 'test',
    WORKER_CONCURRENCY: '2',
    // a killed worker's jobs come back after 1 s instead of 30
    WORKER_LOCK_MS: '1000',
    SETTLE_STALE_MS: '600000',
  });

  it('end with every gift settled exactly once and the books balanced', async () => {
    const fans: User[] = [];
    for (let i = 0; i < 10; i++) {
      const fan = await testAdult(deps);
      await fundViewer(deps, fan, 100_000);
      fans.push(fan);
    }
    const creators: User[] = [];
    const streams: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await testAdult(deps);
      creators.push(c);
      streams.push((await startStream(deps, c.id, `stream ${i}`)).id);
    }
    const sentBy = new Map<string, number>();
    const receivedBy = new Map<string, number>();
    const allGifts: string[] = [];
    const giftIds = Object.keys(GIFT_PRICES);

    const acceptWave = async (wave: number) => {
      const ids = await Promise.all(
        Array.from({ length: GIFTS_PER_ROUND }, async (_, i) => {
          const fan = fans[(wave * 7 + i) % fans.length]!;
          const s = (i * 13 + wave) % streams.length;
          const giftId = giftIds[i % giftIds.length]!;
          const count = 1 + ((i * 31) % 7);
          const a = await acceptGift(deps, {
            sender: fan,
            streamId: streams[s]!,
            giftId,
            count,
            idempotencyKey: `w${wave}-${i}`,
          });
          sentBy.set(fan.id, (sentBy.get(fan.id) ?? 0) + a.gift.totalCoins);
          receivedBy.set(creators[s]!.id, (receivedBy.get(creators[s]!.id) ?? 0) + a.gift.totalCoins);
          return a.gift.id;
        }),
      );
      allGifts.push(...ids);
      await enqueueSettlement(deps, queues.get(QUEUES.settlement), ids);
    };

    // the outbox shards of these fans only (polled every few ms: one ZCARD per shard the fans' gifts can be in)
    const shards = [...new Set(fans.map((f) => userShard(f.id)))];
    const outbox = async () =>
      (await Promise.all(shards.map((n) => deps.redis.zcard(deps.keys.outbox(n))))).reduce((a, b) => a + b, 0);
    for (let round = 0; round < ROUNDS; round++) {
      await acceptWave(round);
      const before = await outbox();
      const worker: EntryProcess = spawnEntry('workers/index.ts', workerEnv());
      // once it is settling, let it run for a random moment, then pull the plug
      await waitFor(outbox, (n) => n < before || worker.child.exitCode !== null, 20_000, 5);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
      await worker.kill();
      expect({ signal: worker.child.signalCode, output: worker.output() }).toMatchObject({ signal: 'SIGKILL' });
    }

    // two fresh workers at once take over what the dead ones left (stalled jobs come back after the lock expires)
    const survivors = [spawnEntry('workers/index.ts', workerEnv()), spawnEntry('workers/index.ts', workerEnv())];
    await waitFor(outbox, (n) => n === 0, 25_000, 50);
    // a job whose gifts were all settled by a worker killed before it could mark the job done stays active until a
    // survivor's stalled-job check (every WORKER_LOCK_MS) takes it back and finds nothing left to do
    await waitFor(
      () => queues.get(QUEUES.settlement).getActiveCount(),
      (n) => n === 0,
      20_000,
      50,
    );
    // both have started (the payout worker is the last one a process opens) before they are asked to stop
    await waitFor(
      () => queues.get(QUEUES.payouts).getWorkersCount(),
      (n) => n === 2,
      20_000,
      50,
    );
    for (const w of survivors) expect({ exit: await w.stop(), output: w.output() }).toMatchObject({ exit: 0 }); // SIGTERM: a graceful stop

    await expectBooksBalanced(deps, allGifts, fans, creators, sentBy, receivedBy);
    const report = await reconcile(deps, { extensions: [jobsReconcileExtension] });
    expect({ ok: report.ok, text: formatReport(report) }).toMatchObject({ ok: true });
    expect(report.outbox.entries).toBe(0);
    expect(report.extensions.jobs).toMatchObject({ settleJobsWaiting: 0, settleJobsActive: 0, payoutsPending: 0 });
  }, 60_000);
});

async function expectBooksBalanced(
  deps: Deps,
  gifts: string[],
  fans: User[],
  creators: User[],
  sentBy: Map<string, number>,
  receivedBy: Map<string, number>,
): Promise<void> {
  const rows = await Promise.all(
    gifts.map((id) => deps.redis.hmget(deps.keys.gift(id), 'status', 'creatorId', 'diamonds')),
  );
  expect(rows.filter(([status]) => status !== 'settled')).toEqual([]);

  for (const fan of fans) {
    const w = walletRecord(await deps.redis.hgetall(deps.keys.wallet(fan.id)));
    expect({ held: w.held, spent: w.spent }).toEqual({ held: 0, spent: sentBy.get(fan.id) ?? 0 });
    expect(w.purchased).toBe(w.coins + w.held + w.spent);
  }
  for (const c of creators) {
    const w = walletRecord(await deps.redis.hgetall(deps.keys.wallet(c.id)));
    const received = receivedBy.get(c.id) ?? 0;
    // settled twice would show here: received beyond what was sent, diamonds beyond floor(received / 2)
    expect({ received: w.received, diamondsEarned: w.diamondsEarned, diamonds: w.diamonds }).toEqual({
      received,
      diamondsEarned: Math.floor(received / 2),
      diamonds: Math.floor(received / 2),
    });
    const perGift = rows.filter(([, creatorId]) => creatorId === c.id).reduce((sum, [, , d]) => sum + Number(d), 0);
    expect(perGift).toBe(w.diamondsEarned);
    const txs = await deps.redis.zrange(deps.keys.txs(c.id), 0, -1);
    expect(txs.filter((t) => t.startsWith('gift_received:'))).toHaveLength(
      rows.filter(([, creatorId]) => creatorId === c.id).length,
    );
  }
}
