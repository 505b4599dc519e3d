import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { acceptGift } from '../../../shared/domain/gifts';
import { formatReport, reconcile } from '../../../shared/domain/reconcile';
import { settleGift, voidGift } from '../../../shared/domain/settlement';
import { testDeps } from '../../../shared/testing/harness';
import { mintId, userShard } from '../../../shared/redis/keys';
import { spawnEntry } from '../../../shared/testing/processes';
import { liveStream } from './fixtures';
import { fundedViewer } from '../../../shared/testing/money';

/** A small economy: two fans, one creator, gifts held, settled and voided, and a pending payout. */
async function economy(deps: Deps) {
  const a = await fundedViewer(deps, 1000);
  const b = await fundedViewer(deps, 300);
  const { creator, streamId } = await liveStream(deps);
  const send = (u: User, giftId: string, count: number) =>
    acceptGift(deps, { sender: u, streamId, giftId, count, idempotencyKey: randomUUID() }).then((r) => r.gift.id);
  const settled = [await send(a, 'rose', 7), await send(a, 'finger-heart', 3), await send(b, 'rose', 1)];
  const held = [await send(a, 'rose', 2), await send(b, 'finger-heart', 1)];
  const voided = await send(b, 'rose', 4);
  for (const id of settled) await settleGift(deps, id);
  await voidGift(deps, voided);
  // creator earned floor(23 / 2) = 11 diamonds; a pending payout of 5 written as the payouts feature records it
  const payoutId = mintId(userShard(creator.id));
  await deps.redis.hset(deps.keys.payout(payoutId), {
    id: payoutId,
    userId: creator.id,
    diamonds: 5,
    status: 'pending',
    createdAt: Date.now(),
  });
  await deps.redis.hincrby(deps.keys.wallet(creator.id), 'diamonds', -5);
  await deps.redis.hincrby(deps.keys.wallet(creator.id), 'diamondsPaidOut', 5);
  await deps.redis.zadd(
    deps.keys.txs(creator.id),
    await deps.redis.hincrby(deps.keys.wallet(creator.id), 'txSeq', 1),
    `payout:${payoutId}`,
  );
  return { a, b, creator, streamId, settled, held, voided };
}

async function runCli(deps: Deps, ...args: string[]): Promise<{ code: number | string; out: string; stdout: string }> {
  const cli = spawnEntry(
    'server/cli/reconcile.ts',
    { REDIS_URL: deps.config.redisUrl!, KEY_PREFIX: deps.keys.prefix, NODE_ENV: 'test', LOG_LEVEL: 'error' },
    args,
  );
  const code = await cli.exited;
  return { code, out: cli.output(), stdout: cli.stdout() };
}

describe('reconciliation checks every money invariant on live data', () => {
  const opened: Array<Deps & { close(): Promise<void> }> = [];
  const fresh = () => {
    const d = testDeps();
    opened.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of opened) await d.close();
  });

  it('a healthy economy reconciles, with its totals and the outbox reported', async () => {
    const deps = fresh();
    const e = await economy(deps);
    const now = Date.now();
    const report = await reconcile(deps, { now });
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ ok: true, users: 3, busyUsers: [] });
    expect(report.totals).toEqual({
      purchased: 1300,
      coins: 1300 - 23 - 7,
      held: 7,
      spent: 23,
      received: 23,
      diamondsEarned: 11,
      diamonds: 6,
      diamondsPaidOut: 5,
    });
    expect(report.outbox).toMatchObject({ entries: 2, stale: 0 });
    const later = await reconcile(deps, { now: now + deps.config.settleStaleMs + 60_000 });
    expect(later.ok).toBe(true); // stale holds are reported, not violations: the sweeper re-enqueues them
    expect(later.outbox.stale).toBe(2);
    expect(later.outbox.oldestAgeMs).toBeGreaterThan(deps.config.settleStaleMs + 60_000);
    expect(formatReport(later)).toContain('2 older than');
    expect(e.held).toHaveLength(2);
  });

  it('catches a balance corrupted on purpose, and the command exits non-zero naming it', async () => {
    const deps = fresh();
    const { a } = await economy(deps);
    expect((await runCli(deps)).code).toBe(0);
    await deps.redis.hincrby(deps.keys.wallet(a.id), 'coins', 5);
    const report = await reconcile(deps);
    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({
        check: 'purchased = coins + held + spent + chargedBack',
        userId: a.id,
        expected: 1000,
        actual: 1005,
      }),
    ]);
    const cli = await runCli(deps);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain('purchased = coins + held + spent + chargedBack');
    expect(cli.out).toContain(a.id);
    const json = JSON.parse((await runCli(deps, '--json')).stdout);
    expect(json.violationCount).toBe(1);
    // three real CLI processes (tsx start-up), each a full reconciliation scanning every master: on a shared
    // two-core machine that alone can take most of the default budget
  }, 60_000);

  it.each([
    [
      'held coins moved without a gift',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.hincrby(d.keys.wallet(e.a.id), 'held', 1);
        await d.redis.hincrby(d.keys.wallet(e.a.id), 'coins', -1);
      },
      'held = sum of held gifts sent',
    ],
    [
      'a negative balance',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.hset(d.keys.wallet(e.b.id), 'coins', -3);
      },
      'non-negative integers',
    ],
    [
      'a held gift dropped from the outbox',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.zrem(d.keys.outbox(userShard(e.a.id)), e.held[0]!);
      },
      'outbox holds exactly the held gifts',
    ],
    [
      'a settled gift back in the outbox',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.zadd(d.keys.outbox(userShard(e.a.id)), Date.now(), e.settled[0]!);
      },
      'outbox holds exactly the held gifts',
    ],
    [
      'a credit that no creator history names (written around the scripts)',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.hset(d.keys.credit(e.creator.id, randomUUID()), { totalCoins: 5, diamonds: 2, senderId: e.a.id });
      },
      'every record in a history',
    ],
    [
      'diamonds credited twice',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.hincrby(d.keys.wallet(e.creator.id), 'diamonds', 5);
        await d.redis.hincrby(d.keys.wallet(e.creator.id), 'diamondsEarned', 5);
      },
      'diamondsEarned = floor(received x 1/2)',
    ],
    [
      'a payout that took no diamonds',
      async (d: Deps, e: Awaited<ReturnType<typeof economy>>) => {
        await d.redis.hincrby(d.keys.wallet(e.creator.id), 'diamonds', 5);
      },
      'diamonds = diamondsEarned - diamondsPaidOut - diamondsClawedBack',
    ],
  ])('catches %s', async (_what, corrupt, check) => {
    const deps = fresh();
    const e = await economy(deps);
    await corrupt(deps, e);
    const report = await reconcile(deps);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.check)).toContain(check);
  });

  it('extensions add their figures and violations', async () => {
    const deps = fresh();
    await economy(deps);
    const report = await reconcile(deps, {
      extensions: [
        {
          name: 'settlement jobs',
          run: async () => ({
            figures: { failed: 1 },
            violations: [{ check: 'no failed settlement jobs', message: '1 failed job' }],
          }),
        },
      ],
    });
    expect(report.extensions).toEqual({ 'settlement jobs': { failed: 1 } });
    expect(report.ok).toBe(false);
    expect(formatReport(report)).toContain('settlement jobs: failed 1');
  });
});
