/**
 * When to restart a process that died: exponential backoff over consecutive fast crashes (a process that ran for
 * a while before dying starts the count again), and giving up after too many of them in a row, because a
 * process that dies at start (a bad setting, a port taken) will not get better by itself.
 */
export interface CrashBackoffOptions {
  /** A process that ran less than this before dying crashed fast. */
  fastMs?: number;
  /** Give up after this many fast crashes in a row (Infinity: never). */
  maxFastCrashes?: number;
  baseMs?: number;
  maxMs?: number;
}

export class CrashBackoff {
  private fastCrashes = 0;
  private readonly fastMs: number;
  private readonly maxFastCrashes: number;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(opts: CrashBackoffOptions = {}) {
    this.fastMs = opts.fastMs ?? 10_000;
    this.maxFastCrashes = opts.maxFastCrashes ?? 5;
    this.baseMs = opts.baseMs ?? 500;
    this.maxMs = opts.maxMs ?? 10_000;
  }

  /** The delay before restarting a process that ran `uptimeMs`, or null: give up. */
  next(uptimeMs: number): number | null {
    if (uptimeMs >= this.fastMs) this.fastCrashes = 0;
    this.fastCrashes += 1;
    if (this.fastCrashes > this.maxFastCrashes) return null;
    return Math.min(this.maxMs, this.baseMs * 2 ** (this.fastCrashes - 1));
  }
}
