import type { ChildProcess } from 'node:child_process';

/** SIGTERM (a graceful stop), then SIGKILL if it is still running after `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Resolves once `url`/health answers 200; rejects when one of `children` exits first (it failed to start) or after
 * `timeoutMs`. `output` (what the children printed) goes into the error. The one wait-for-health of the test
 * helpers and the load-test harness.
 */
export async function waitForHealth(
  url: string,
  children: ChildProcess[],
  opts: { timeoutMs?: number; output?: () => string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const tail = () => (opts.output ? `\n${opts.output()}` : '');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`a Giftwire process exited at start (${dead.exitCode ?? dead.signalCode})${tail()}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`Giftwire did not become healthy at ${url} within ${timeoutMs} ms${tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
