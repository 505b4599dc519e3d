import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for processes a test starts itself (a server, a redis-server): free now, and not handed out again by the
 * time the child binds them, which can take a second. Asking the kernel for port 0 would not do: that port comes
 * from the ephemeral range, which every `listen(0)` and outgoing connection of the parallel test files draws from,
 * so another file's in-process server could take it in the meantime, and the test would then talk to that one.
 * So ports are taken below the ephemeral range, from a block of its own for each jest worker, in turn.
 */
const LOWEST = 10_000;
const BLOCKS = 8;

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST + BLOCKS * 100 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const blockSize = Math.floor((ephemeralLow() - LOWEST) / BLOCKS);
// global setup (no worker id) takes block 0; worker n takes block n, wrapping past BLOCKS
const block = Number(process.env.JEST_WORKER_ID ?? 0) % BLOCKS;
const blockStart = LOWEST + block * blockSize;
// a random start, so that a second test run beside this one (or a rerun) does not try the same ports first
let next = Math.floor(Math.random() * blockSize);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `n` distinct ports that are free now; the next call goes on from where this one stopped. */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tried = 0; ports.length < n; tried += 1) {
    if (tried >= blockSize) throw new Error(`no free port left in ${blockStart}..${blockStart + blockSize - 1}`);
    const port = blockStart + (next % blockSize);
    next += 1;
    if (await bindable(port)) ports.push(port);
  }
  return ports;
}
