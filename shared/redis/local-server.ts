import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { connect } from './client';

export interface LocalRedisOptions {
  port: number;
  dir: string;
  appendfsync?: 'always' | 'everysec';
  /** Extra redis-server arguments, e.g. ['--save', '']. */
  extraArgs?: string[];
  /** Where redis-server's own log goes; inherited stdio otherwise. */
  quiet?: boolean;
}

export interface LocalRedis {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function findRedisServer(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : null;
}

/** Starts a redis-server child with the settings money needs (AOF on, noeviction) and waits until it answers. */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server was not found on PATH');
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(opts.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    opts.appendfsync ?? 'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bin, args, { stdio: opts.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
  const url = `redis://127.0.0.1:${opts.port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`redis-server exited at start (is port ${opts.port} taken?)`);
    const probe = connect(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused while redis-server boots: expected
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not answer on port ${opts.port} within 10 s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM'); // redis-server flushes its AOF and exits on SIGTERM
      }),
  };
}
