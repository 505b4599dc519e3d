import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../redis/local-server';
import { startLocalCluster, type LocalCluster } from '../redis/local-cluster';
import { freePort, freePorts } from './free-port';

/**
 * The test run's Redis, started once by jest before any test file (see jest.config.ts): each jest project names
 * the setup it needs, `one` (this file's default) or `cluster` (global-setup-cluster.ts). Test files isolate
 * themselves with their own key prefix (see harness.ts). The servers are stopped by global-teardown.ts.
 */
export interface TestRedisServers {
  one?: LocalRedis;
  cluster?: LocalCluster;
}

export const testServers = globalThis as { __giftwireRedis?: TestRedisServers };

/** One real redis-server on a free port, with its data in a temporary folder. */
export async function startTestRedis(): Promise<void> {
  if (process.env.TEST_REDIS_URL) return; // an operator may point the tests at their own Redis
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-test-redis-'));
  const redis = await startLocalRedis({ port: await freePort(), dir, quiet: true, extraArgs: ['--save', ''] });
  process.env.TEST_REDIS_URL = redis.url;
  testServers.__giftwireRedis = { ...testServers.__giftwireRedis, one: redis };
}

/** A real Redis Cluster of three masters on free ports, for the `cluster` project (TEST_REDIS_CLUSTER_NODES). */
export async function startTestCluster(): Promise<void> {
  if (process.env.TEST_REDIS_CLUSTER_NODES) return; // or the operator's own cluster
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-test-cluster-'));
  const [p1, p2, p3, b1, b2, b3] = await freePorts(6);
  const [ports, busPorts] = [
    [p1!, p2!, p3!],
    [b1!, b2!, b3!],
  ];
  const cluster = await startLocalCluster({ ports, busPorts, dir, quiet: true, extraArgs: ['--save', ''] });
  process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodesEnv;
  testServers.__giftwireRedis = { ...testServers.__giftwireRedis, cluster };
}

export default startTestRedis;
