/**
 * The one error registry: every error code of the public contract (docs/API.md) with its HTTP status.
 * Browser-safe: pages and clients import these names too.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  AGE_RESTRICTED: 403,
  NOT_ELIGIBLE: 403,
  SELF_GIFT: 403,
  ACCOUNT_SUSPENDED: 403,
  PAYOUT_LIMIT_EXCEEDED: 403,
  NOT_FOUND: 404,
  STREAM_NOT_LIVE: 409,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  INSUFFICIENT_FUNDS: 402,
  PAYMENT_DECLINED: 402,
  SPEND_LIMIT_EXCEEDED: 403,
  BELOW_THRESHOLD: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request does not match its schema.',
  UNAUTHORIZED: 'A valid token is required.',
  FORBIDDEN: 'You are not allowed to do this.',
  AGE_RESTRICTED: 'You must be an adult to do this.',
  NOT_ELIGIBLE: 'You do not meet the rules for this.',
  SELF_GIFT: 'A creator cannot send gifts to their own stream.',
  ACCOUNT_SUSPENDED: 'An operator suspended this account.',
  PAYOUT_LIMIT_EXCEEDED: 'This payout would pass your daily payout cap.',
  NOT_FOUND: 'Not found.',
  STREAM_NOT_LIVE: 'The stream has ended.',
  CONFLICT: 'The current state does not allow this.',
  IDEMPOTENCY_CONFLICT: 'This idempotency key was already used with a different request.',
  INSUFFICIENT_FUNDS: 'Not enough funds.',
  PAYMENT_DECLINED: 'The payment provider declined the payment.',
  SPEND_LIMIT_EXCEEDED: 'This would pass your daily spending limit.',
  BELOW_THRESHOLD: 'The amount is below the minimum.',
  RATE_LIMITED: 'Too many requests; slow down.',
  INTERNAL: 'Something went wrong on our side.',
  UNAVAILABLE: 'A dependency is unavailable.',
};

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** V8's (Node's, Chromium's) depth of the stacks errors take; elsewhere setting it does nothing. */
const v8Error = Error as unknown as { stackTraceLimit?: number };

/** The one error type. Thrown anywhere; rendered as `{ error }` over HTTP and `{ ok: false, error }` over Socket.io. */
export class GiftwireError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    // A refusal is an answer, not a fault: nobody reads its stack, and taking one is most of what a refusal costs
    // (a gift war past GIFT_MAX_IN_FLIGHT refuses thousands a second). INTERNAL and UNAVAILABLE keep theirs.
    const stackDepth = v8Error.stackTraceLimit;
    if (code !== 'INTERNAL' && code !== 'UNAVAILABLE') v8Error.stackTraceLimit = 0;
    super(message ?? DEFAULT_MESSAGES[code]);
    v8Error.stackTraceLimit = stackDepth;
    this.name = 'GiftwireError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
