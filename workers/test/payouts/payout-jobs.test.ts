import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { jobsReconcileExtension } from '../../../shared/runtime/jobs-report';
import type { PayoutProvider } from '../../../shared/domain/payments/payout-provider';
import { sandboxPayoutProvider } from '../../../shared/domain/payments/payout-provider';
import { userShard } from '../../../shared/redis/keys';
import { findPayout, processPayout, requestPayout } from '../../../shared/domain/payouts';
import { enqueuePayout, QUEUES, Queues } from '../../../shared/runtime/queues';
import { reconcile } from '../../../shared/domain/reconcile';
import { walletRecord } from '../../../shared/domain/wallet';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { earnDiamonds, testAdult } from '../../../shared/testing/money';
import { startWorkers } from '../../start';

const wallet = async (deps: Deps, id: string) => walletRecord(await deps.redis.hgetall(deps.keys.wallet(id)));

async function creatorWith(deps: Deps, diamonds: number): Promise<User> {
  const creator = await testAdult(deps);
  await earnDiamonds(deps, creator, diamonds);
  return creator;
}

describe('payout jobs', () => {
  it('a payout job delivered twice pays once: the second run changes nothing', async () => {
    const deps = testDeps();
    try {
      const creator = await creatorWith(deps, 3000);
      const { payout } = await requestPayout(deps, creator, { diamonds: 2500 }, randomUUID());
      let calls = 0;
      const counting: PayoutProvider = { name: 'counting', send: (r) => ((calls += 1), sandboxPayoutProvider.send(r)) };
      expect(await processPayout(deps, counting, payout.id)).toBe('paid');
      const after = { wallet: await wallet(deps, creator.id), payout: await findPayout(deps, payout.id) };
      expect(await processPayout(deps, counting, payout.id)).toBe('paid');
      expect({ wallet: await wallet(deps, creator.id), payout: await findPayout(deps, payout.id) }).toEqual(after);
      expect(calls).toBe(1);
      expect(after.wallet).toMatchObject({ diamonds: 500, diamondsPaidOut: 2500 });
      expect((await reconcile(deps, { extensions: [jobsReconcileExtension] })).ok).toBe(true);
    } finally {
      await deps.close();
    }
  });

  it('a payout whose job was never enqueued is picked up by the sweeper', async () => {
    const deps = testDeps({ settleStaleMs: 200, sweepEveryMs: 200 });
    const workers = await startWorkers(deps);
    try {
      const creator = await creatorWith(deps, 2000);
      // the server died between the payout script and the enqueue
      const { payout } = await requestPayout(deps, creator, { diamonds: 2000 }, randomUUID());
      await waitFor(
        () => findPayout(deps, payout.id),
        (p) => p?.status === 'paid',
      );
      expect(await deps.redis.zcard(deps.keys.payoutsPending(userShard(creator.id)))).toBe(0);
    } finally {
      await workers.close();
      await deps.close();
    }
  });

  it('a provider that keeps erroring: retries with backoff, then the job stays failed, the payout pending, and reconcile says so', async () => {
    const deps = testDeps({ jobAttempts: 3, jobBackoffMs: 20, settleStaleMs: 100, sweepEveryMs: 60_000 });
    let calls = 0;
    const down: PayoutProvider = {
      name: 'down',
      async send() {
        calls += 1;
        throw new Error('provider unreachable');
      },
    };
    const workers = await startWorkers(deps, { payoutProvider: down });
    const queues = new Queues(deps);
    try {
      const creator = await creatorWith(deps, 2000);
      const { payout } = await requestPayout(deps, creator, { diamonds: 2000 }, randomUUID());
      await enqueuePayout(queues.get(QUEUES.payouts), payout.id);
      await waitFor(
        () => queues.get(QUEUES.payouts).getJobState(payout.id),
        (s) => s === 'failed',
      );
      expect(calls).toBe(3);
      expect((await findPayout(deps, payout.id))?.status).toBe('pending');
      expect(await wallet(deps, creator.id)).toMatchObject({ diamonds: 0, diamondsPaidOut: 2000 });

      // a malformed settlement job fails at once (no retries) and is counted, never dropped
      await queues.get(QUEUES.settlement).add('settle', { nonsense: true });
      await waitFor(
        () => queues.get(QUEUES.settlement).getFailedCount(),
        (n) => n === 1,
      );

      // read as of a moment past the stale bound
      const report = await reconcile(deps, { extensions: [jobsReconcileExtension], now: payout.createdAt! + 1000 });
      expect(report.extensions.jobs).toMatchObject({
        payoutJobsFailed: 1,
        settleJobsFailed: 1,
        payoutsPending: 1,
        payoutsPendingStale: 1,
      });
      expect(report.ok).toBe(false);
      expect(report.violations).toEqual([
        expect.objectContaining({ check: 'every pending payout is on its way', userId: creator.id }),
      ]);
    } finally {
      await workers.close();
      await queues.close();
      await deps.close();
    }
  });
});
