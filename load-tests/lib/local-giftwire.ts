import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRedis, type LocalRedis } from '../../shared/redis/local-server';
import { freePort } from '../../shared/testing/free-port';
import { stopChild, waitForHealth } from '../../shared/process';

/**
 * A Giftwire of its own for one run, started the way `npm start` starts one: a redis-server child (AOF on,
 * noeviction) with a fresh data dir, then the server and the workers as child processes of their entry
 * points, on free ports. Secrets are generated for the run. `stop()` tears everything down and removes the data.
 */
export interface LocalGiftwire {
  url: string;
  redisUrl: string;
  keyPrefix: string;
  adminToken: string;
  /** The environment the server and workers run with (the run reads their config from it). */
  env: Record<string, string>;
  pids: { server: number; workers: number; redis: number };
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startLocalGiftwire(opts: {
  logDir: string;
  serverEnv: Record<string, string>;
  serverNodeArgs?: string[];
  /** Called if the server or the workers exit on their own during the run. */
  onUnexpectedExit?: (line: string) => void;
  /** Use this Redis instead of starting one (tests point the run at their own Redis). */
  redisUrl?: string;
  keyPrefix?: string;
}): Promise<LocalGiftwire> {
  let redis: LocalRedis | undefined;
  let dataDir: string | undefined;
  let redisUrl = opts.redisUrl;
  if (!redisUrl) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'giftwire-load-'));
    redis = await startLocalRedis({ port: await freePort(), dir: dataDir, quiet: true });
    redisUrl = redis.url;
  }
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    KEY_PREFIX: opts.keyPrefix ?? 'gw',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
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
  const workers = start('workers', 'workers/index.ts');

  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((c) => stopChild(c)));
    await redis?.stop();
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
    redisUrl,
    keyPrefix: env.KEY_PREFIX!,
    adminToken: env.ADMIN_TOKEN!,
    env,
    pids: { server: server.pid!, workers: workers.pid!, redis: redis?.process.pid ?? 0 },
    stop,
  };
}
