import type { ErrorBody } from './errors';

/**
 * A refused call to the REST API as a client sees it (the browser pages, the load tests): the HTTP status and the
 * contract's error code (NETWORK when no answer came, INTERNAL when the answer named none). The server's own error
 * type is GiftwireError (errors.ts); this is its far side.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The error of a non-2xx answer, from its parsed JSON body; `message` defaults to the body's. */
  static fromAnswer(status: number, body: unknown, message?: string): ApiError {
    const err = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
    return new ApiError(status, err?.code ?? 'INTERNAL', message ?? err?.message ?? `HTTP ${status}`);
  }
}
