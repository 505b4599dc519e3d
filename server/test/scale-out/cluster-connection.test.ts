import { Worker, type Job } from 'bullmq';
import { passGate } from '../../../shared/domain/push-gate';
import { QUEUES, Queues, workerOptions } from '../../../shared/runtime/queues';
import { createBullConnection, isCluster, quitWhenReady } from '../../../shared/redis/client';
import { globLiteral, scanKeys } from '../../../shared/redis/scan';
import { checkRedisSettings } from '../../../shared/redis/settings';
import { isClusterRun, testDeps, waitFor } from '../../../shared/testing/harness';

/**
 * The connection factory: the same code talks to one Redis (project `one`) and to a three-master Redis Cluster
 * (project `cluster`). Lua scripts (defineCommand) run on whichever master owns their keys, and BullMQ jobs flow
 * through queues whose keys all sit in one slot.
 */
type Deps = ReturnType<typeof testDeps>;

/** Which master answers for a key: its address, or 'one' on a single Redis. */
async function ownerOf(deps: Deps, key: string): Promise<string> {
  if (!isCluster(deps.redis)) return 'one';
  const slot = await deps.redis.cluster('KEYSLOT', key);
  const range = (await deps.redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)!;
  const [host, port] = range[2]!;
  return `${host}:${port}`;
}

describe('one connection factory for one Redis and a Redis Cluster', () => {
  const opened: Deps[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
  });
  const deps = (): Deps => {
    const d = testDeps();
    opened.push(d);
    return d;
  };

  it('connects to the cluster exactly when the run is a cluster run, and its settings pass on every master', async () => {
    const d = deps();
    expect(isCluster(d.redis)).toBe(isClusterRun());
    await d.redis.ping();
    const report = await checkRedisSettings(d.redis);
    expect(report).toEqual({ ok: true, problems: [], warnings: [] });
    if (isCluster(d.redis)) expect(d.redis.nodes('master')).toHaveLength(3);
  });

  it('a Lua script (defineCommand) runs on every master that owns its keys, loaded there on first use', async () => {
    // gates of new deployments and streams until their keys have landed on every master (one on a single Redis); a
    // key's owner is its hash tag (the stream), not the deployment's prefix
    const owners = new Map<string, { d: Deps; streamId: string }>();
    for (let i = 0; i < 60 && owners.size < (isClusterRun() ? 3 : 1); i += 1) {
      const d = deps();
      const streamId = `s${i}`;
      const owner = await ownerOf(d, d.keys.pushGate('leaderboard', streamId));
      if (!owners.has(owner)) owners.set(owner, { d, streamId });
    }
    expect(owners.size).toBe(isClusterRun() ? 3 : 1);
    for (const { d, streamId } of owners.values()) {
      // the gate's clock is Redis TIME: a second push within the minute waits for the rest of it
      expect(await passGate(d, 'leaderboard', streamId, 'sig-a', 60_000)).toEqual({ verdict: 'push' });
      expect(await passGate(d, 'leaderboard', streamId, 'sig-a', 60_000)).toEqual({ verdict: 'same' });
      const wait = await passGate(d, 'leaderboard', streamId, 'sig-b', 60_000);
      expect(wait).toMatchObject({ verdict: 'wait' });
      expect(wait.verdict === 'wait' && wait.retryInMs > 50_000 && wait.retryInMs <= 60_000).toBe(true);
      expect(await d.redis.hget(d.keys.pushGate('leaderboard', streamId), 'sig')).toBe('sig-a');
    }
  });

  it('BullMQ jobs flow through a hash-tagged queue, all of whose keys sit in one slot', async () => {
    const d = deps();
    const queues = new Queues(d);
    const connection = createBullConnection(d.config);
    const seen: number[] = [];
    const worker = new Worker(
      QUEUES.payouts,
      async (job: Job<{ n: number }>) => {
        seen.push(job.data.n);
        return job.data.n * 2;
      },
      { ...workerOptions(d, connection), concurrency: 4 },
    );
    try {
      const queue = queues.get(QUEUES.payouts);
      const jobs = await queue.addBulk(Array.from({ length: 20 }, (_, n) => ({ name: 'n', data: { n } })));
      await waitFor(
        () => queue.getCompletedCount(),
        (c) => c === 20,
      );
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
      expect((await queue.getJob(jobs[7]!.id!))?.returnvalue).toBe(14);

      const keys: string[] = [];
      for await (const batch of scanKeys(d.redis, `${globLiteral(`${d.keys.bullPrefix}:${QUEUES.payouts}:`)}*`))
        keys.push(...batch);
      expect(keys.length).toBeGreaterThan(3);
      if (isCluster(d.redis)) {
        const slots = new Set(await Promise.all(keys.map((k) => d.redis.cluster('KEYSLOT', k))));
        expect(slots.size).toBe(1);
      }
    } finally {
      await worker.close();
      await queues.close();
      await quitWhenReady(connection);
    }
  });
});
