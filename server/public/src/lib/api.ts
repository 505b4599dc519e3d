import { ApiError } from '../../../../shared/contracts/api-error';
import { noteServerDate } from './clock';

export interface ApiOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** JSON in and out against this server's `/v1`; errors become ApiError with the contract's code. */
export async function api<T>(method: string, path: string, opts: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  const sentAt = Date.now();
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  noteServerDate(res.headers.get('date'), sentAt, Date.now());
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    throw ApiError.fromAnswer(res.status, json);
  }
  return json as T;
}

/** "CODE: message" for a status line. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  if (err && typeof err === 'object' && 'code' in err && 'message' in err)
    return `${String(err.code)}: ${String(err.message)}`;
  return err instanceof Error ? err.message : String(err);
}
