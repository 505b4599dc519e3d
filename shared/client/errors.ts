import type { ErrorBody, ErrorCode } from '../contracts/errors';

/** `NETWORK`: no answer at all (connection refused or dropped, timed out); the others are the contract's codes. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

/** A refused request or event, with the contract's code; `status` is the HTTP status (0 over Socket.io). */
export class GiftwireApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ClientErrorCode, message: string, status = 0, details?: unknown) {
    super(message);
    this.name = 'GiftwireApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  static from(body: ErrorBody, status = 0): GiftwireApiError {
    return new GiftwireApiError(body.code, body.message, status, body.details);
  }
}

/** Worth another try with the same idempotency key: nothing moved, and the cause may pass. */
export function retryable(err: unknown): boolean {
  if (!(err instanceof GiftwireApiError)) return false;
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
