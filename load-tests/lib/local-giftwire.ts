import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../../shared/redis/local-server';
import { startLocalCluster } from '../../shared/redis/local-cluster';
import { loadConfig } from '../../shared/config';
import { CLUSTER_ERRORS, type RedisTarget } from '../../shared/redis/client';
import { freePort, freePorts } from '../../shared/testing/free-port';
import { stopChild, waitForHealth } from '../../shared/process';
import type { Check } from './checks';

/**
 * A Giftwire of its own for one run, started the way `npm start` starts one: a redis-server child (AOF on,
 * noeviction) with a fresh data dir, or with `cluster` a Redis Cluster of three such masters, then the server and
 * the workers as child processes of their entry points, on free ports. Secrets are generated for the run. `stop()`
 * tears everything down and removes the data.
 */
export interface LocalGiftwire {
  url: string;
  /** The Redis (or Redis Cluster) the Giftwire runs on. */
  redis: Exclude<RedisTarget, string>;
  keyPrefix: string;
  adminToken: string;
  /** The environment the server and workers run with (the run reads their config from it). */
  env: Record<string, string>;
  pids: { server: number; workers: number; redis: number[] };
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startLocalGiftwire(opts: {
  logDir: string;
  serverEnv: Record<string, string>;
  serverNodeArgs?: string[];
  workersNodeArgs?: string[];
  /** Called if the server or the workers exit on their own during the run. */
  onUnexpectedExit?: (line: string) => void;
  /** Use this Redis instead of starting one (tests point the run at their own Redis). */
  redisUrl?: string;
  /** Use this Redis Cluster (`host:port,...`) instead of starting Redis. */
  redisClusterNodes?: string;
  /** Start a Redis Cluster of three masters instead of one redis-server. */
  cluster?: boolean;
  keyPrefix?: string;
}): Promise<LocalGiftwire> {
  const started: LocalRedis[] = [];
  let dataDir: string | undefined;
  let redisEnv: Record<string, string>;
  if (opts.redisClusterNodes) {
    redisEnv = { REDIS_CLUSTER_NODES: opts.redisClusterNodes };
  } else if (opts.redisUrl) {
    redisEnv = { REDIS_URL: opts.redisUrl };
  } else if (opts.cluster) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'giftwire-load-'));
    const ports = await freePorts(6);
    const cluster = await startLocalCluster({
      ports: ports.slice(0, 3),
      busPorts: ports.slice(3),
      dir: dataDir,
      quiet: true,
    });
    started.push(...cluster.masters);
    redisEnv = { REDIS_CLUSTER_NODES: cluster.nodesEnv };
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'giftwire-load-'));
    const redis = await startLocalRedis({ port: await freePort(), dir: dataDir, quiet: true });
    started.push(redis);
    redisEnv = { REDIS_URL: redis.url };
  }
  const { redisUrl, redisClusterNodes } = loadConfig(redisEnv);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_CLUSTER_NODES: '', // empty is unset: one inherited from this shell must not win over the run's Redis
    ...redisEnv,
    KEY_PREFIX: opts.keyPrefix ?? 'gw',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    // every simulated viewer comes from this one machine: per-address limits would count them as one client
    SOCKETS_PER_ADDRESS: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    ...opts.serverEnv,
  };
  const children: ChildProcess[] = [];
  let stopping = false;
  const start = (name: string, entry: string, nodeArgs: string[] = []) => {
    const log = createWriteStream(path.join(opts.logDir, `${name}.log`));
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, entry)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    child.once('exit', (code, signal) => {
      if (!stopping)
        opts.onUnexpectedExit?.(`the Giftwire ${name} exited (${signal ?? code}) during the run; see ${name}.log`);
    });
    children.push(child);
    return child;
  };
  const server = start('server', 'server/index.ts', opts.serverNodeArgs);
  const workers = start('workers', 'workers/index.ts', opts.workersNodeArgs);

  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c)));
    await Promise.all(started.map((r) => r.stop()));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, [server, workers]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    redis: { redisUrl, redisClusterNodes },
    keyPrefix: env.KEY_PREFIX!,
    adminToken: env.ADMIN_TOKEN!,
    env,
    pids: { server: server.pid!, workers: workers.pid!, redis: started.map((r) => r.process.pid ?? 0) },
    stop,
  };
}

/**
 * The local Giftwire's logs hold no Redis Cluster slot or redirection error (CLUSTER_ERRORS).
 */
export function redisErrorsCheck(logDir: string): Check {
  const hits: string[] = [];
  for (const name of ['server', 'workers']) {
    const file = path.join(logDir, `${name}.log`);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n'))
      if (CLUSTER_ERRORS.test(line)) hits.push(`${name}: ${line}`);
  }
  return {
    name: 'no cross-slot, MOVED, ASK, CLUSTERDOWN or TRYAGAIN error in the server and workers logs',
    ok: hits.length === 0,
    detail: hits.length === 0 ? 'none' : `${hits.length} line(s), first: ${hits[0]!.slice(0, 300)}`,
  };
}
