import { creatorRankings } from '../../../shared/domain/leaderboards';
import { startStream } from '../../../shared/domain/streams';
import { walletRecord } from '../../../shared/domain/wallet';
import { QUEUES, Queues, enqueueSettlement } from '../../../shared/runtime/queues';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { fundedViewer, sendGiftsWorth, testAdult } from '../../../shared/testing/money';
import { killAllEntries, spawnEntry } from '../../../shared/testing/processes';

/**
 * A real worker process counts a gift on the creator rankings and is SIGKILLed before it settles it (the test hook
 * MONEY_CRASH_AT=ranked); a fresh worker takes the job over. The gift is settled once and counted once, in every
 * period.
 */
describe('a worker killed between the rankings count and the settle', () => {
  let deps: ReturnType<typeof testDeps>;
  let queues: Queues;
  beforeAll(() => {
    deps = testDeps();
    queues = new Queues(deps);
  });
  afterAll(async () => {
    await killAllEntries();
    await queues.close();
    await deps.close();
  });

  const workerEnv = (extra: Record<string, string> = {}) => ({
    REDIS_URL: deps.config.redisUrl!,
    KEY_PREFIX: deps.config.keyPrefix,
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    WORKER_CONCURRENCY: '1',
    // the dead worker's job comes back after 1 s instead of 30
    WORKER_LOCK_MS: '1000',
    ...extra,
  });

  it('leaves the gift counted once and settled once, in every period', async () => {
    const creator = await testAdult(deps);
    const stream = await startStream(deps, creator.id, 'crash night');
    const fan = await fundedViewer(deps, 10_000);
    const ids = await sendGiftsWorth(deps, fan, stream.id, 1_234);
    const received = async () => walletRecord(await deps.redis.hgetall(deps.keys.wallet(creator.id))).received;

    const doomed = spawnEntry('workers/index.ts', workerEnv({ MONEY_CRASH_AT: 'ranked' }));
    await enqueueSettlement(deps, queues.get(QUEUES.settlement), ids);
    expect(await doomed.exited).toBe('SIGKILL');
    // it counted at least one gift there, and credited and settled none
    const counted = (await creatorRankings(deps, 'all', { limit: 10 })).items;
    expect(counted).toEqual([expect.objectContaining({ creatorId: creator.id })]);
    expect(await received()).toBe(0);
    const statuses = await Promise.all(ids.map((id) => deps.redis.hget(deps.keys.gift(id), 'status')));
    expect(statuses.every((st) => st === 'held')).toBe(true);

    spawnEntry('workers/index.ts', workerEnv());
    await waitFor(
      () => Promise.all(ids.map((id) => deps.redis.hget(deps.keys.gift(id), 'status'))),
      (st) => st.every((x) => x === 'settled'),
      25_000,
    );
    expect(await received()).toBe(1_234);
    for (const period of ['hour', 'day', 'week', 'month', 'all'] as const) {
      const { items } = await creatorRankings(deps, period, { limit: 10 });
      expect([period, items]).toEqual([
        period,
        [{ rank: 1, creatorId: creator.id, displayName: creator.displayName, coins: 1_234 }],
      ]);
    }
  }, 60_000);
});
