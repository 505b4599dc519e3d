import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';
import { waitForHealth } from '../process';

const ROOT = path.resolve(__dirname, '..', '..');

/** A real child process of one of Giftwire's entry points (tests kill them with SIGKILL, or stop them with SIGTERM). */
export interface EntryProcess {
  child: ChildProcess;
  /** The last of what it printed (stdout and stderr), for failure messages. */
  output(): string;
  /** The last of what it printed on stdout alone (a command's machine-readable answer). */
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** SIGTERM, then the exit code (or signal name): a graceful stop. */
  stop(): Promise<number | string>;
}

const live = new Set<EntryProcess>();

/** Runs `entry` (server/index.ts, workers/index.ts, server/cli/*.ts) with `env` on top of ours. */
export function spawnEntry(entry: string, env: Record<string, string>, args: string[] = []): EntryProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    // no worker metrics port unless a test asks: parallel test files would all want the default one
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_METRICS_PORT: '0', ...env },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-16_000);
  };
  child.stdout!.on('data', (b: Buffer) => {
    stdout = (stdout + b.toString()).slice(-64_000);
    keep(b);
  });
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    // 'close', not 'exit': by then everything it printed has been read
    child.once('close', (code, signal) => {
      live.delete(proc);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const proc: EntryProcess = {
    child,
    output: () => out,
    stdout: () => stdout,
    exited,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
  live.add(proc);
  return proc;
}

/** A server process of startServerProcess: the child and the base URL it serves on. */
export type ServerProcess = EntryProcess & { url: string };

/** A real server process on a free port, resolved once its /health answers 200. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawnEntry('server/index.ts', { NODE_ENV: 'test', HOST: '127.0.0.1', ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, [proc.child], { timeoutMs: 25_000, output: proc.output });
  return Object.assign(proc, { url });
}

/** For afterAll: no test leaves a process behind. */
export async function killAllEntries(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

/** A JSON call to a server process (a token as Bearer): its status and parsed body. */
export async function callJson(url: string, method: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
