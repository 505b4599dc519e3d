import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRedis } from '../../shared/redis/local-server';
import { freePort } from '../../shared/testing/free-port';

/**
 * The Redis of a benchmark: REDIS_URL when set (the caller uses a fresh key prefix there and leaves its keys), else a
 * redis-server of its own (AOF everysec, no RDB) in a temporary folder, stopped and removed once `run` has ended,
 * however it ended. Output piped into `head` may close early: the run goes on, so the server is still stopped.
 */
export async function withBenchRedis<T>(run: (redisUrl: string) => Promise<T>): Promise<T> {
  process.stdout.on('error', () => undefined);
  if (process.env.REDIS_URL) return run(process.env.REDIS_URL);
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-bench-'));
  const local = await startLocalRedis({ port: await freePort(), dir, quiet: true, extraArgs: ['--save', ''] });
  try {
    return await run(local.url);
  } finally {
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
