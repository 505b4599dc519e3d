import { loadConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { createRedis } from '../redis/client';
import { createKeys } from '../redis/keys';
import { checkRedisSettings } from '../redis/settings';
import type { Deps } from '../domain/deps';

/**
 * Boot helper shared by the entry points: parse config once, print the development defaults in use,
 * connect to Redis and refuse unsafe Redis settings.
 */
export async function bootDeps(service: string, config: Config = loadConfig()): Promise<Deps> {
  const log = createLogger(config.logLevel, service);
  for (const name of config.defaultsUsed) {
    if (name !== 'REDIS_URL') log.warn(`${name} is not set: using the development default`);
  }
  if (!config.redisUrl && !config.redisClusterNodes) {
    throw new Error('REDIS_URL is not set (npm start sets it after starting a local redis-server)');
  }
  const redis = createRedis(config);
  await redis.ping();
  const report = await checkRedisSettings(redis);
  for (const w of report.warnings) log.warn(w);
  if (!report.ok) {
    for (const p of report.problems) log.fatal(p);
    redis.disconnect();
    throw new Error(`unsafe Redis settings: ${report.problems.join(' ')}`);
  }
  return { config, redis, keys: createKeys(config.keyPrefix), log };
}

/**
 * Runs `stop` once on SIGTERM/SIGINT, then exits; a second signal exits at once. A stop that cannot finish (Redis
 * already gone, so a QUIT never completes) gives up after `graceMs`: running jobs are redelivered, nothing is lost.
 */
export function onShutdown(log: Deps['log'], stop: () => Promise<void>, graceMs = 10_000): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ graceMs }, 'graceful shutdown did not finish in time; exiting');
      process.exit(1);
    }, graceMs).unref();
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
