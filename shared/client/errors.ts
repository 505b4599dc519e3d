import { ApiError } from '../contracts/api-error';

/** A refusal carried by a Socket.io acknowledgement (no HTTP status: 0). */
export const ackError = (error: { code: string; message: string }) => new ApiError(0, error.code, error.message);

/** No answer at all: the connection was refused or dropped, or the answer did not come in time. */
export const networkError = (message: string) => new ApiError(0, 'NETWORK', message);

/** Worth another try with the same idempotency key: nothing moved, and the cause may pass. */
export function retryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  return err.code === 'NETWORK' || err.code === 'RATE_LIMITED' || err.code === 'UNAVAILABLE';
}

export interface RetryPolicy {
  /** Tries in all, the first included (default 4). */
  attempts: number;
  /** Delay before the second try, doubled each time, with jitter (default 200 ms). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200 };

/** Runs `once` until it succeeds, fails for good, or the attempts run out; the last error is thrown. */
export async function withRetries<T>(policy: RetryPolicy, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (err) {
      if (attempt >= policy.attempts || !retryable(err)) throw err;
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}
