import { randomUUID } from 'node:crypto';
import type { Battle, Stream, Wallet } from '../../shared/contracts/models';
import type { User } from '../../shared/contracts/users';
import { ApiError } from '../../shared/contracts/api-error';

/** The public REST API (docs/API.md), as the simulator uses it: setup, and reading results back. */

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  async request<T>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.baseUrl + path, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        });
      } catch (err) {
        // Setup opens many connections at once; retry a refused/reset one (every call here is safe to repeat).
        if (attempt < 3) {
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
          continue;
        }
        throw err;
      }
      const text = await res.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      if (res.status === 429 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
        continue;
      }
      if (!res.ok)
        throw ApiError.fromAnswer(res.status, body, `${method} ${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
      return body as T;
    }
  }

  createUser(displayName: string, extra: { verified?: boolean; followers?: number } = {}) {
    return this.request<{ user: User; token: string }>('POST', '/v1/admin/users', {
      token: this.adminToken,
      body: { displayName, birthDate: '1990-01-01', verified: true, ...extra },
    });
  }

  /** A custom-amount recharge with the sandbox's accepting token; the idempotency key makes a retry harmless. */
  recharge(token: string, coins: number, idempotencyKey: string = randomUUID()) {
    return this.request<{ recharge: { id: string; coins: number }; wallet: Wallet }>('POST', '/v1/wallet/recharges', {
      token,
      headers: { 'idempotency-key': idempotencyKey },
      body: { coins, payment: { token: 'tok_ok' } },
    });
  }

  goLive(token: string, title: string) {
    return this.request<{ stream: Stream }>('POST', '/v1/streams', { token, body: { title } });
  }

  endStream(token: string, streamId: string) {
    return this.request<{ stream: Stream }>('POST', `/v1/streams/${streamId}/end`, { token, body: {} });
  }

  getStream(streamId: string) {
    return this.request<{ stream: Stream; viewers: number; totalCoins: number }>('GET', `/v1/streams/${streamId}`);
  }

  challenge(token: string, streamId: string, opponentStreamId: string, durationSec: number) {
    return this.request<{ battle: Battle }>('POST', '/v1/battles', {
      token,
      body: { streamId, opponentStreamId, durationSec },
    });
  }

  accept(token: string, battleId: string) {
    return this.request<{ battle: Battle }>('POST', `/v1/battles/${battleId}/accept`, { token, body: {} });
  }

  getBattle(battleId: string) {
    return this.request<{ battle: Battle }>('GET', `/v1/battles/${battleId}`);
  }

  wallet(token: string) {
    return this.request<Wallet>('GET', '/v1/wallet', { token });
  }

  gifts() {
    return this.request<{ gifts: Array<{ id: string; name: string; coins: number }> }>('GET', '/v1/gifts');
  }

  /** Prometheus text of the server (operator token). */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/metrics`, { headers: { authorization: `Bearer ${this.adminToken}` } });
    if (!res.ok) {
      const text = await res.text();
      throw ApiError.fromAnswer(res.status, undefined, `GET /metrics: HTTP ${res.status} ${JSON.stringify(text)}`);
    }
    return res.text();
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
