import type Redis from 'ioredis';

export interface RedisSettingsReport {
  ok: boolean;
  problems: string[];
  warnings: string[];
}

/**
 * Money depends on two Redis settings: AOF persistence (an acknowledged gift must survive a restart) and
 * `maxmemory-policy noeviction` (an evicted wallet or BullMQ key is lost money). Refuse to run on anything else.
 */
export async function checkRedisSettings(redis: Redis): Promise<RedisSettingsReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  let values: Record<string, string>;
  try {
    const appendonly = (await redis.config('GET', 'appendonly')) as string[];
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const fsync = (await redis.config('GET', 'appendfsync')) as string[];
    values = { appendonly: appendonly[1] ?? '', policy: policy[1] ?? '', fsync: fsync[1] ?? '' };
  } catch (err) {
    warnings.push(
      `could not read Redis settings with CONFIG GET (${(err as Error).message}); make sure appendonly=yes and maxmemory-policy=noeviction`,
    );
    return { ok: true, problems, warnings };
  }
  if (values.appendonly !== 'yes') {
    problems.push(
      'Redis has appendonly=no: acknowledged gifts could be lost on a restart. Start redis-server with --appendonly yes (or CONFIG SET appendonly yes).',
    );
  }
  if (values.policy !== 'noeviction') {
    problems.push(
      `Redis has maxmemory-policy=${values.policy}: wallets and queued jobs could be evicted. Set maxmemory-policy noeviction.`,
    );
  }
  if (values.fsync === 'no') {
    warnings.push(
      'Redis has appendfsync=no: the last seconds of writes can be lost on a crash; use everysec, or always for money-grade durability.',
    );
  }
  return { ok: problems.length === 0, problems, warnings };
}
