import cluster, { type Worker } from 'node:cluster';
import { CrashBackoff } from './crash-backoff';
import type { Logger } from './logger';

/**
 * The primary of a node cluster running `count` copies of this entry point: it restarts a copy that dies (with
 * backoff, giving up after repeated fast crashes) and, on SIGTERM/SIGINT, stops every copy gracefully (each runs
 * its own shutdown) before it exits itself.
 */
export function runClusterPrimary(opts: {
  count: number;
  log: Logger;
  /** Runs once every copy has exited on a stop, before the primary exits (close the shared listener). */
  onStopped?: () => Promise<void> | void;
}): void {
  const { count, log } = opts;
  const backoff = new CrashBackoff();
  const startedAt = new Map<Worker, number>();
  let stopping = false;

  const fork = () => {
    const w = cluster.fork();
    startedAt.set(w, Date.now());
    // A message to a copy that has just died fails with EPIPE (@socket.io/sticky tells a copy when a connection it
    // was proxying for closes, without a callback): unhandled, that 'error' would take the primary down with it.
    w.on('error', (err) => log.warn({ pid: w.process.pid, err: err.message }, 'a message to a process failed'));
  };

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish(0);
      return;
    }
    const delay = backoff.next(uptime);
    if (delay === null) {
      log.fatal({ pid: worker.process.pid, code, signal }, 'a process keeps crashing at start: giving up');
      void stop(1);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal, restartInMs: delay }, 'a process died: restarting it');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  let exitCode = 0;
  const finish = async (code: number) => {
    await opts.onStopped?.();
    process.exit(code || exitCode);
  };
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) return finish(code);
    for (const w of workers) w.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  for (let i = 0; i < count; i++) fork();
  log.info({ processes: count }, 'cluster primary started');
}
