import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A real child process of one of Giftwire's entry points (tests kill them with SIGKILL, or stop them with SIGTERM). */
export interface EntryProcess {
  child: ChildProcess;
  /** What it wrote to stderr (for failure messages). */
  stderr(): string;
  kill(): Promise<void>;
  /** SIGTERM, then the exit code (or signal name). */
  stop(): Promise<number | string>;
}

const live = new Set<ChildProcess>();

export function spawnEntry(entry: string, env: Record<string, string>): EntryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let err = '';
  child.stderr!.on('data', (b: Buffer) => {
    err = (err + b.toString()).slice(-8000);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    stderr: () => err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** For afterAll: no test leaves a process behind. */
export async function killAllEntries(): Promise<void> {
  await Promise.all(
    [...live].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}
