import type Redis from 'ioredis';
import { isCluster, type RedisConnection } from './client';

export interface RedisSettingsReport {
  ok: boolean;
  problems: string[];
  warnings: string[];
}

/**
 * Money depends on two Redis settings: AOF persistence (an acknowledged gift must survive a restart) and
 * `maxmemory-policy noeviction` (an evicted wallet or BullMQ key is lost money). Refuse to run on anything else.
 * On a cluster every master holds money, so every master is checked (replicas take over a master's role: an
 * operator sets them alike).
 */
export async function checkRedisSettings(redis: RedisConnection): Promise<RedisSettingsReport> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  if (nodes.length === 0) return { ok: false, problems: ['the Redis Cluster has no reachable master'], warnings: [] };
  const reports = await Promise.all(
    nodes.map((node) =>
      checkNode(node, isCluster(redis) ? `Redis master ${node.options.host}:${node.options.port}` : 'Redis'),
    ),
  );
  return {
    ok: reports.every((r) => r.ok),
    problems: reports.flatMap((r) => r.problems),
    warnings: reports.flatMap((r) => r.warnings),
  };
}

async function checkNode(redis: Redis, name: string): Promise<RedisSettingsReport> {
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
      `could not read ${name}'s settings with CONFIG GET (${(err as Error).message}); make sure appendonly=yes and maxmemory-policy=noeviction`,
    );
    return { ok: true, problems, warnings };
  }
  if (values.appendonly !== 'yes') {
    problems.push(
      `${name} has appendonly=no: acknowledged gifts could be lost on a restart. Start redis-server with --appendonly yes (or CONFIG SET appendonly yes).`,
    );
  }
  if (values.policy !== 'noeviction') {
    problems.push(
      `${name} has maxmemory-policy=${values.policy}: wallets and queued jobs could be evicted. Set maxmemory-policy noeviction.`,
    );
  }
  if (values.fsync === 'no') {
    warnings.push(
      `${name} has appendfsync=no: the last seconds of writes can be lost on a crash; use everysec, or always for money-grade durability.`,
    );
  }
  return { ok: problems.length === 0, problems, warnings };
}
