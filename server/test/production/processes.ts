import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../../../shared/testing/harness';

/**
 * Commands run as an operator would (a built image's CMD, `npm run start:prod`), with what they print kept. Each
 * runs in its own process group, as in a terminal: a stop signals the whole group (npm, its shell, the launcher and
 * its children) the way Ctrl-C does, so nothing is left behind even when npm exits before its children.
 */
export interface Command {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
  /** SIGTERM, then its exit code (or signal name). */
  stop(): Promise<number | string>;
}

const running = new Set<Command>();

export function runCommand(argv: string[], cwd: string, env: Record<string, string>): Command {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-32_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(cmd);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const cmd: Command = {
    child,
    output: () => out,
    exited,
    async stop() {
      signalGroup(child, 'SIGTERM');
      return exited;
    },
  };
  running.add(cmd);
  return cmd;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal); // the group is gone; the process too, unless it left it
  }
}

/** The processes still in the process group a command started (orphans included). */
export function groupMembers(cmd: Command): Array<{ pid: number; args: string }> {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === cmd.child.pid)
    .map((m) => ({ pid: Number(m[1]), args: m[3]! }));
}

/** Every process below `pid` (children, grandchildren...), with its command line. */
export function descendants(pid: number): Array<{ pid: number; args: string }> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: Array<{ pid: number; args: string }> = [];
  const walk = (parent: number) => {
    for (const r of rows.filter((x) => x.ppid === parent)) {
      found.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(pid);
  return found;
}

export async function waitReady(
  url: string,
  cmd: { child: ChildProcess; output(): string },
  timeoutMs = 90_000,
): Promise<void> {
  await waitFor(
    () => {
      if (cmd.child.exitCode !== null) throw new Error(`exited early:\n${cmd.output()}`);
      return fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.status,
        () => 0,
      );
    },
    (s) => s === 200,
    timeoutMs,
    100,
  ).catch((err) => {
    throw new Error(`${err}\n${cmd.output()}`);
  });
}

/** For afterAll: SIGKILL whatever is still running, with everything it started (its process group). */
export async function killAllCommands(): Promise<void> {
  for (const cmd of running) {
    signalGroup(cmd.child, 'SIGKILL');
    await cmd.exited;
  }
}

/** Runs `fn`; a failure carries what the command printed. */
export async function withOutput<T>(cmd: Command, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- output ---\n${cmd.output()}`, {
      cause: err,
    });
  }
}
