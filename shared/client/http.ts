import { ApiError } from '../contracts/api-error';
import { networkError, withRetries, type RetryPolicy } from './errors';
import { newIdempotencyKey } from './ids';

export interface HttpOptions {
  baseUrl: string;
  /** A user token or the operator token, sent as `Authorization: Bearer`. */
  token?: string;
  retry: RetryPolicy;
  /** Per try (default 10 s). */
  timeoutMs: number;
  fetch: typeof fetch;
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The route requires an `Idempotency-Key`: this one, or a new one shared by every retry of this call. */
  idempotent?: boolean | string;
  headers?: Record<string, string>;
}

/**
 * One REST call. Retried (network errors, 429, 503) only when a retry cannot do a thing twice: reads, and
 * writes that carry an idempotency key, which every retry reuses so the server answers the first result.
 */
export function call<T>(http: HttpOptions, method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), http.baseUrl.endsWith('/') ? http.baseUrl : `${http.baseUrl}/`);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.idempotent) {
    headers['idempotency-key'] = typeof opts.idempotent === 'string' ? opts.idempotent : newIdempotencyKey();
  }
  const once = async (): Promise<T> => {
    let res: Response;
    try {
      res = await http.fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(http.timeoutMs),
      });
    } catch (err) {
      throw networkError(`${method} ${url.pathname}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined; // not JSON (a proxy's error page): the status tells what happened
    }
    if (!res.ok) throw ApiError.fromAnswer(res.status, json, undefined);
    return json as T;
  };
  const safe = method === 'GET' || Boolean(opts.idempotent);
  return safe ? withRetries(http.retry, once) : once();
}
