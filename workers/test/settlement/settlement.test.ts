import { Job } from 'bullmq';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { acceptGift } from '../../../shared/domain/gifts';
import { QUEUES, Queues, enqueueSettlement } from '../../../shared/runtime/queues';
import { startStream } from '../../../shared/domain/streams';
import { outboxEntries } from '../../../shared/runtime/sweeper';
import { listTransactions } from '../../../shared/domain/transactions';
import { walletRecord } from '../../../shared/domain/wallet';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server';
import { fundViewer, sendGiftsWorth, testAdult } from '../../../shared/testing/money';
import { startWorkers, type RunningWorkers } from '../../start';

const wallet = async (deps: Deps, id: string) => walletRecord(await deps.redis.hgetall(deps.keys.wallet(id)));
const outboxSize = async (deps: Deps) => (await outboxEntries(deps)).length;

/** Everything settlement may move, for before/after comparisons. */
async function ledger(deps: Deps, userIds: string[], giftIds: string[]) {
  return {
    wallets: await Promise.all(userIds.map((id) => deps.redis.hgetall(deps.keys.wallet(id)))),
    txs: await Promise.all(userIds.map((id) => deps.redis.zrange(deps.keys.txs(id), 0, -1, 'WITHSCORES'))),
    gifts: await Promise.all(giftIds.map((id) => deps.redis.hgetall(deps.keys.gift(id)))),
    outbox: await outboxEntries(deps),
  };
}

async function scene(deps: Deps, coins: number): Promise<{ fan: User; creator: User; streamId: string }> {
  const creator = await testAdult(deps);
  const fan = await testAdult(deps);
  await fundViewer(deps, fan, coins);
  const stream = await startStream(deps, creator.id, 'settle me');
  return { fan, creator, streamId: stream.id };
}

async function finished(queues: Queues, jobId: string): Promise<void> {
  await waitFor(
    async () => (await Job.fromId(queues.get(QUEUES.settlement), jobId))?.finishedOn ?? 0,
    (t) => t > 0,
  );
}

describe('settlement workers post every held gift exactly once', () => {
  let deps: ReturnType<typeof testDeps>;
  let workers: RunningWorkers;
  let queues: Queues;
  beforeAll(async () => {
    deps = testDeps();
    queues = new Queues(deps);
    workers = await startWorkers(deps);
  });
  afterAll(async () => {
    await workers.close();
    await queues.close();
    await deps.close();
  });

  it('a settle job turns held coins into spent ones, credits the creator, and a job delivered twice changes nothing the second time', async () => {
    const { fan, creator, streamId } = await scene(deps, 10_000);
    const ids = await sendGiftsWorth(deps, fan, streamId, 7_777);
    expect(await wallet(deps, fan.id)).toMatchObject({ coins: 2_223, held: 7_777, spent: 0 });

    const first = await queues.get(QUEUES.settlement).add('settle', { giftEventIds: ids });
    await finished(queues, first.id!);
    expect(await wallet(deps, fan.id)).toMatchObject({ coins: 2_223, held: 0, spent: 7_777, purchased: 10_000 });
    expect(await wallet(deps, creator.id)).toMatchObject({ received: 7_777, diamondsEarned: 3_888, diamonds: 3_888 });
    const sent = await listTransactions(deps, fan.id, { limit: 100 });
    expect(sent.items.filter((t) => t.type === 'gift_sent').every((t) => t.status === 'settled')).toBe(true);
    const received = await listTransactions(deps, creator.id, { limit: 100 });
    expect(received.items.filter((t) => t.type === 'gift_received')).toHaveLength(ids.length);

    const before = await ledger(deps, [fan.id, creator.id], ids);
    const again = await queues.get(QUEUES.settlement).add('settle', { giftEventIds: ids });
    await finished(queues, again.id!);
    expect(await ledger(deps, [fan.id, creator.id], ids)).toEqual(before);
  });

  it('diamonds track floor(cumulative coins / 2) exactly, gift after gift, whatever the batching', async () => {
    const { fan, creator, streamId } = await scene(deps, 5_000);
    const sizes = [1, 1, 1, 5, 1, 299, 1, 30, 5, 1, 1000, 1, 20, 1, 1, 5];
    let cumulative = 0;
    for (const [i, coins] of sizes.entries()) {
      const ids = await sendGiftsWorth(deps, fan, streamId, coins);
      // alternate: one gift per job, then a gift riding along with already-settled ones
      await enqueueSettlement(deps, queues.get(QUEUES.settlement), i % 2 === 0 ? ids : [...ids, ...ids]);
      cumulative += coins;
      const w = await waitFor(
        () => wallet(deps, creator.id),
        (x) => x.received === cumulative,
      );
      expect(w.diamondsEarned).toBe(Math.floor(cumulative / 2));
      expect(w.diamonds).toBe(Math.floor(cumulative / 2));
    }
    // the creator is credited before the sender's hold is posted (two owners): the outbox empties right after
    await waitFor(
      () => outboxSize(deps),
      (n) => n === 0,
    );
  });
});

describe('the sweeper', () => {
  it('picks up a gift whose enqueue was lost, once its hold is older than SETTLE_STALE_MS', async () => {
    const deps = testDeps({ settleStaleMs: 200, sweepEveryMs: 200 });
    const workers = await startWorkers(deps);
    try {
      const { fan, creator, streamId } = await scene(deps, 100);
      // accepted, in the outbox, never enqueued (the server died right after the accept script)
      const [id] = await sendGiftsWorth(deps, fan, streamId, 30);
      await waitFor(
        () => deps.redis.hget(deps.keys.gift(id!), 'status'),
        (s) => s === 'settled',
      );
      expect(await wallet(deps, creator.id)).toMatchObject({ received: 30, diamonds: 15 });
      expect(await wallet(deps, fan.id)).toMatchObject({ held: 0, spent: 30, coins: 70 });
      expect(await outboxSize(deps)).toBe(0);
    } finally {
      await workers.close();
      await deps.close();
    }
  });
});

describe('many worker processes', () => {
  it('share one sweep schedule, however many start', async () => {
    const deps = testDeps({ sweepEveryMs: 5_000 });
    const queues = new Queues(deps);
    const all = await Promise.all([startWorkers(deps), startWorkers(deps), startWorkers(deps)]);
    try {
      const schedulers = await queues.get(QUEUES.settlement).getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'outbox-sweep', every: 5_000 })]);
    } finally {
      for (const w of all) await w.close();
      await queues.close();
      await deps.close();
    }
  });
});

describe('the outbox relay in the server', () => {
  let s: TestServer;
  let workers: RunningWorkers;
  beforeAll(async () => {
    // a sweeper that would only act after a minute: what settles here came through the relay
    s = await startTestServer({ settleBatchMs: 10, settleBatchMax: 7, settleStaleMs: 60_000 });
    workers = await startWorkers(s.deps);
  });
  afterAll(async () => {
    await workers.close();
    await s.close();
  });

  it('batches every accepted gift into settlement jobs; a replay is not enqueued again', async () => {
    const { fan, creator, streamId } = await scene(s.deps, 1_000);
    let total = 0;
    for (let i = 0; i < 40; i++) {
      const accepted = await acceptGift(s.deps, {
        sender: fan,
        streamId,
        giftId: 'finger-heart',
        count: 1 + (i % 3),
        idempotencyKey: `k-${i}`,
      });
      total += accepted.gift.totalCoins;
      s.giftwire.ctx.events.emit('gift:accepted', accepted);
    }
    const replay = await acceptGift(s.deps, {
      sender: fan,
      streamId,
      giftId: 'finger-heart',
      count: 1,
      idempotencyKey: 'k-0',
    });
    expect(replay.replay).toBe(true);
    s.giftwire.ctx.events.emit('gift:accepted', replay);
    // the creator is credited in one call and the sender's coins settled in the next: wait for both
    await waitFor(
      async () => ({ creator: await wallet(s.deps, creator.id), fan: await wallet(s.deps, fan.id) }),
      (w) => w.creator.received === total && w.fan.held === 0,
    );
    expect(await wallet(s.deps, fan.id)).toMatchObject({ held: 0, spent: total });
    expect(await outboxSize(s.deps)).toBe(0);
    const counts = await s.giftwire.ctx.queues.get(QUEUES.settlement).getJobCounts('completed', 'failed');
    expect(counts.failed).toBe(0);
    expect(counts.completed).toBeGreaterThanOrEqual(Math.ceil(40 / 7));
    const enqueued = await s.giftwire.ctx.metrics.getSingleMetric('giftwire_settlement_enqueued_gifts_total')!.get();
    expect(enqueued.values[0]!.value).toBe(40);
  });
});
