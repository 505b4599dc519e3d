import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Child {
  process: ChildProcess;
  /** Everything it printed, for a failing test's message. */
  output(): string;
  /** SIGKILL (a crash) or SIGTERM (a graceful stop); resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Child>();

/** Runs an entry point (`server/index.ts`, `workers/index.ts`) as a real child process with `env` on top of ours. */
export function startChild(entry: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const child: Child = {
    process: proc,
    output: () => out,
    stop(signal = 'SIGKILL') {
      running.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill(signal);
      return exited;
    },
  };
  running.add(child);
  return child;
}

/** For afterAll: no test may leave a process running. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop('SIGKILL')));
}
