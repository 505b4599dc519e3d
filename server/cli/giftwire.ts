import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, ConfigError, type Config } from '../../shared/config';
import { ensureRedisServer } from './ensure-redis';
import { banner } from './banner';
import { keepLocalRedis, superviseChild, type Supervised } from './supervise';

/**
 * `npm start` (and, compiled, `npm run start:prod`): everything one machine needs. When REDIS_URL is unset, a local
 * redis-server child (AOF on, data under DATA_DIR); then the server and the workers as child processes of their own
 * entry points (SERVER_PROCESSES / WORKER_PROCESSES copies each). Every child is supervised: one that dies is
 * restarted with backoff. SIGTERM/SIGINT stop the server and workers gracefully first, then Redis.
 */
const COMPILED = __filename.endsWith('.js');
/** The repository root, or dist/ when this file is the compiled one. */
const ROOT = path.resolve(__dirname, '..', '..');
const say = (line: string) => console.log(`[giftwire] ${line}`);

/** Runs compiled JavaScript when compiled (no tsx in production), the TypeScript sources through tsx otherwise. */
function entryArgs(entry: string): string[] {
  return COMPILED ? [path.join(ROOT, `${entry}.js`)] : ['--import', 'tsx', path.join(ROOT, `${entry}.ts`)];
}

async function serverReady(config: Config, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://${host}:${config.port}/health/ready`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await sleep(250);
  }
  return false;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[giftwire] ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  let redis: (Supervised & { url: string }) | undefined;
  let redisUrl = config.redisUrl;
  // with REDIS_CLUSTER_NODES the children use that cluster (they read it from the same environment)
  if (!redisUrl && !config.redisClusterNodes) {
    if (!ensureRedisServer(say)) process.exit(1);
    const dir = path.resolve(config.dataDir, 'redis');
    say(
      `REDIS_URL is not set: starting a local redis-server on port ${config.localRedisPort} (AOF on, data in ${dir})`,
    );
    redis = await keepLocalRedis({ port: config.localRedisPort, dir, appendfsync: config.redisAppendfsync }, say);
    redisUrl = redis.url;
  }

  let stopping = false;
  const children: Supervised[] = [];
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the server and the workers');
    await Promise.all(children.map((c) => c.stop()));
    if (redis) {
      say('stopping the local redis-server');
      await redis.stop();
    }
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  const env = { ...process.env, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
  const start = (name: string, entry: string) =>
    superviseChild(
      name,
      () => spawn(process.execPath, entryArgs(entry), { env, stdio: 'inherit', cwd: process.cwd() }),
      say,
      () => void stop(1),
      config.shutdownDrainMs + 15_000,
    );
  children.push(start('server', 'server/index'), start('workers', 'workers/index'));

  const ready = await serverReady(config, 60_000);
  if (!stopping) for (const line of banner(config, ready)) say(line);
}

main().catch((err) => {
  console.error(`[giftwire] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
