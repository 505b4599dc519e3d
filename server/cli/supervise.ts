import type { ChildProcess } from 'node:child_process';
import { CrashBackoff } from '../../shared/crash-backoff';
import { stopChild } from '../../shared/process';
import { startLocalRedis, type LocalRedis, type LocalRedisOptions } from '../../shared/redis/local-server';

type Say = (line: string) => void;

export interface Supervised {
  stop(): Promise<void>;
}

/**
 * Keeps a child process running: one that dies is restarted with backoff; after repeated fast crashes (it dies
 * right after starting, so restarting will not help) `onGiveUp` runs.
 */
export function superviseChild(
  name: string,
  spawnIt: () => ChildProcess,
  say: Say,
  onGiveUp: () => void,
  stopGraceMs: number,
  backoff: CrashBackoff = new CrashBackoff(),
): Supervised {
  let child: ChildProcess;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    child = spawnIt();
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const delay = backoff.next(Date.now() - startedAt);
      if (delay === null) {
        say(`${name} keeps exiting right after it starts (${signal ?? code}): giving up`);
        onGiveUp();
        return;
      }
      say(`${name} exited (${signal ?? code}); restarting it in ${delay} ms`);
      timer = setTimeout(start, delay);
    });
  };
  start();

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await stopChild(child, stopGraceMs);
    },
  };
}

/**
 * The local redis-server child, restarted with backoff whenever it dies (on the same port and data folder, so it
 * reloads its AOF); the server and workers reconnect by themselves. It runs in its own process group (see
 * LocalRedisOptions.detached), so it is stopped only by `stop()`, after everything that uses it.
 */
export async function keepLocalRedis(opts: LocalRedisOptions, say: Say): Promise<Supervised & { url: string }> {
  const backoff = new CrashBackoff({ maxFastCrashes: Infinity });
  let current: LocalRedis = await startLocalRedis({ ...opts, detached: true });
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const retry = (delay: number) => {
    timer = setTimeout(() => void restart(), delay);
  };
  const watch = (redis: LocalRedis, startedAt: number) => {
    redis.process.once('exit', (code, signal) => {
      if (stopping) return;
      const delay = backoff.next(Date.now() - startedAt)!;
      say(`redis-server exited (${signal ?? code}); restarting it in ${delay} ms`);
      retry(delay);
    });
  };
  const restart = async () => {
    if (stopping) return;
    try {
      current = await startLocalRedis({ ...opts, detached: true });
      say(`redis-server restarted on ${current.url}`);
      watch(current, Date.now());
    } catch (err) {
      const delay = backoff.next(0)!;
      say(`could not restart redis-server (${(err as Error).message}); trying again in ${delay} ms`);
      retry(delay);
    }
  };
  watch(current, Date.now());
  // A launcher that exits without stopping it (an uncaught error) must not leave its own-group Redis behind.
  process.once('exit', () => {
    if (!stopping) current.process.kill('SIGTERM');
  });

  return {
    url: current.url,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await current.stop();
    },
  };
}
