import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testConfig, type Config } from '../../shared/config';
import type { Deps } from '../../shared/domain/deps';
import { createLogger } from '../../shared/logger';
import { createRedis } from '../../shared/redis/client';
import { createKeys } from '../../shared/redis/keys';
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

/** The domain's dependencies on that Redis, under a fresh key prefix, logging nothing. */
export function benchDeps(redisUrl: string, overrides: Partial<Config> = {}): Deps {
  const config = testConfig({ redisUrl, keyPrefix: `bench${randomUUID().slice(0, 8)}`, ...overrides });
  return {
    config,
    redis: createRedis(redisUrl),
    keys: createKeys(config.keyPrefix),
    log: createLogger('silent', 'bench'),
  };
}

export interface RedisLoad {
  /** Redis's main thread CPU (INFO cpu), seconds. */
  cpuSec: number;
  /** Calls by command (INFO commandstats): scripts and the commands run inside them alike. */
  calls: Map<string, number>;
}

/** What Redis has done so far: two readings apart give a run's share. */
export async function redisLoad(deps: Deps): Promise<RedisLoad> {
  const cpu = await deps.redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
  const calls = new Map<string, number>();
  for (const m of (await deps.redis.info('commandstats')).matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    calls.set(m[1]!, Number(m[2]));
  }
  return { cpuSec: field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread'), calls };
}
