import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../shared/config';
import { startLocalRedis, type LocalRedis } from '../../shared/redis/local-server';
import { ensureRedisServer } from './ensure-redis';
import { stopChild } from '../../shared/process';

/**
 * `npm start`: everything one machine needs. When REDIS_URL is unset, a local redis-server child (AOF on,
 * data under DATA_DIR); then the server and the workers as two child processes of their own entry points.
 * SIGTERM/SIGINT stop the children gracefully, then Redis. If either child dies, everything stops.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const say = (line: string) => console.log(`[giftwire] ${line}`);

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[giftwire] ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  let redis: LocalRedis | undefined;
  let redisUrl = config.redisUrl;
  // with REDIS_CLUSTER_NODES the children use that cluster (they read it from the same environment)
  if (!redisUrl && !config.redisClusterNodes) {
    if (!ensureRedisServer(say)) process.exit(1);
    const dir = path.resolve(config.dataDir, 'redis');
    say(
      `REDIS_URL is not set: starting a local redis-server on port ${config.localRedisPort} (AOF on, data in ${dir})`,
    );
    redis = await startLocalRedis({ port: config.localRedisPort, dir, appendfsync: config.redisAppendfsync });
    redisUrl = redis.url;
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const env = { ...process.env, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
  const start = (name: string, entry: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
      env,
      stdio: 'inherit',
      cwd: ROOT,
    });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        say(`${name} exited (${signal ?? code}); stopping Giftwire`);
        void stop(1);
      }
    });
    children.push(child);
  };

  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c)));
    if (redis) {
      say('stopping the local redis-server');
      await redis.stop();
    }
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  start('server', 'server/index.ts');
  start('workers', 'workers/index.ts');
  say(`starting: http://localhost:${config.port}  (GET /health, overlay at /overlay/<streamId>, demo at /)`);
}

main().catch((err) => {
  console.error(`[giftwire] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
