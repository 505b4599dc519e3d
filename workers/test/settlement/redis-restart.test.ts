import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User } from '../../../shared/contracts/users';
import { QUEUES, Queues, enqueueSettlement } from '../../../shared/runtime/queues';
import { startStream } from '../../../shared/domain/streams';
import { walletRecord } from '../../../shared/domain/wallet';
import { startLocalRedis, type LocalRedis } from '../../../shared/redis/local-server';
import { freePort } from '../../../shared/testing/free-port';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { fundViewer, sendGiftsWorth, testAdult } from '../../../shared/testing/money';
import { killAllEntries, spawnEntry } from '../../../shared/testing/processes';

/** The test's own redis-server (not the shared one), so it can be restarted under a running worker process. */
describe('a worker process outlives a Redis restart', () => {
  let redis: LocalRedis;
  let port: number;
  let dir: string;
  let deps: ReturnType<typeof testDeps>;
  let queues: Queues;
  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), 'giftwire-restart-'));
    redis = await startLocalRedis({ port, dir, quiet: true });
    deps = testDeps({ redisUrl: redis.url });
    queues = new Queues(deps);
  });
  afterAll(async () => {
    await killAllEntries();
    await queues.close();
    await deps.close();
    await redis.stop();
  });

  it('settles before, and resumes settling after Redis comes back with its AOF', async () => {
    const worker = spawnEntry('workers/index.ts', {
      REDIS_URL: redis.url,
      KEY_PREFIX: deps.config.keyPrefix,
      NODE_ENV: 'test',
      LOG_LEVEL: 'fatal',
    });
    const creator: User = await testAdult(deps);
    const fan = await testAdult(deps);
    await fundViewer(deps, fan, 10_000);
    const stream = await startStream(deps, creator.id, 'through a restart');
    const received = async () => walletRecord(await deps.redis.hgetall(deps.keys.wallet(creator.id))).received;

    await enqueueSettlement(deps, queues.get(QUEUES.settlement), await sendGiftsWorth(deps, fan, stream.id, 3_000));
    await waitFor(received, (r) => r === 3_000, 20_000);

    await redis.stop();
    await new Promise((r) => setTimeout(r, 500)); // the worker notices and keeps retrying
    redis = await startLocalRedis({ port, dir, quiet: true });
    expect(await received()).toBe(3_000); // the AOF brought everything back

    await enqueueSettlement(deps, queues.get(QUEUES.settlement), await sendGiftsWorth(deps, fan, stream.id, 2_001));
    const w = await waitFor(
      async () => walletRecord(await deps.redis.hgetall(deps.keys.wallet(creator.id))),
      (x) => x.received === 5_001,
      20_000,
    );
    expect(w.diamonds).toBe(2_500);
    expect(walletRecord(await deps.redis.hgetall(deps.keys.wallet(fan.id)))).toMatchObject({ held: 0, spent: 5_001 });
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop()).toBe(0);
  }, 40_000);
});
