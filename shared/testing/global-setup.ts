import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../redis/local-server';
import { freePort } from './free-port';

/**
 * One real redis-server for the test run, on a free port, with its data in a temporary folder.
 * Test files isolate themselves with their own key prefix (see harness.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_REDIS_URL) return; // an operator may point the tests at their own Redis
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-test-redis-'));
  const redis = await startLocalRedis({ port: await freePort(), dir, quiet: true, extraArgs: ['--save', ''] });
  process.env.TEST_REDIS_URL = redis.url;
  (globalThis as { __giftwireRedis?: LocalRedis }).__giftwireRedis = redis;
}
