import { randomUUID } from 'node:crypto';
import { isCluster } from '../../../shared/redis/client';
import { globLiteral, masters, scanKeys } from '../../../shared/redis/scan';
import { checkRedisSettings } from '../../../shared/redis/settings';
import { isClusterRun, testDeps } from '../../../shared/testing/harness';

/**
 * Tools that look at the whole keyspace (reconciliation, operator scripts) and the start-up checks see every master
 * of a cluster, not the one a connection happened to reach first.
 */
describe('operator tools and start-up checks cover every master', () => {
  const opened: Array<ReturnType<typeof testDeps>> = [];
  const deps = () => {
    const d = testDeps();
    opened.push(d);
    return d;
  };
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
  });

  it('scanKeys finds every matching key, wherever its slot lives', async () => {
    const marker = randomUUID();
    const written: string[] = [];
    const owners = new Set<string>();
    // deployments (prefixes) until their keys sit on every master
    for (let i = 0; i < 60 && (owners.size < (isClusterRun() ? 3 : 1) || written.length < 10); i += 1) {
      const d = deps();
      const key = d.keys.user(`${marker}-${i}`);
      await d.redis.hset(key, 'id', `${marker}-${i}`);
      written.push(key);
      owners.add(isCluster(d.redis) ? String(await ownerNode(d, key)) : 'one');
    }
    expect(owners.size).toBe(isClusterRun() ? 3 : 1);

    const found = new Set<string>();
    for await (const batch of scanKeys(opened[0]!.redis, `*${globLiteral(marker)}*`, 100))
      for (const k of batch) found.add(k);
    expect([...found].sort()).toEqual([...written].sort());
  });

  it('a master without AOF is refused, by name, even when the others are fine', async () => {
    const d = deps();
    await d.redis.ping();
    const nodes = masters(d.redis);
    expect(nodes).toHaveLength(isClusterRun() ? 3 : 1);
    const victim = nodes[nodes.length - 1]!;
    await victim.config('SET', 'appendonly', 'no');
    try {
      const report = await checkRedisSettings(d.redis);
      expect(report.ok).toBe(false);
      expect(report.problems).toHaveLength(1);
      const name = isClusterRun() ? `Redis master ${victim.options.host}:${victim.options.port}` : 'Redis';
      expect(report.problems[0]).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')} has appendonly=no`));
    } finally {
      await victim.config('SET', 'appendonly', 'yes');
    }
    expect((await checkRedisSettings(d.redis)).ok).toBe(true);
  });
});

/** The address of the master that owns `key`'s slot. */
async function ownerNode(d: ReturnType<typeof testDeps>, key: string): Promise<string> {
  const slot = await d.redis.cluster('KEYSLOT', key);
  const range = (await d.redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)!;
  const [host, port] = range[2]!;
  return `${host}:${port}`;
}
