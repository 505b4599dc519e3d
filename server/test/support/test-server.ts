import type { AddressInfo } from 'node:net';
import type { Config } from '../../../shared/config';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { quitWhenReady } from '../../../shared/redis/client';
import { connectSocket, testDeps, type TestSocket } from '../../../shared/testing/harness';
import { createApp, type GiftwireApp } from '../../app';

/** A real Giftwire server for a test: lives under server/ because it builds the server's app. */
export interface TestServer {
  url: string;
  deps: Deps;
  giftwire: GiftwireApp;
  /** JSON request helper; `token` is a user token or the admin token. */
  request<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates a user through the operator API; adult and verified unless told otherwise. */
  createUser(
    input?: Partial<{ displayName: string; birthDate: string; verified: boolean; followers: number }>,
  ): Promise<{ user: User; token: string }>;
  /** A connected socket.io client (resolves on connect, rejects on connect_error). */
  connect(auth?: Record<string, unknown>): Promise<TestSocket>;
  close(): Promise<void>;
}

/** Starts a real Giftwire HTTP + Socket.io server on a free port against the real test Redis. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const deps = testDeps(overrides);
  const giftwire = createApp(deps);
  await new Promise<void>((resolve) => giftwire.httpServer.listen(0, '127.0.0.1', resolve));
  const port = (giftwire.httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const sockets: TestSocket[] = [];
  let n = 0;

  const request: TestServer['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  };

  return {
    url,
    deps,
    giftwire,
    request,
    async createUser(input = {}) {
      n += 1;
      const res = await request('POST', '/v1/admin/users', {
        token: deps.config.adminToken,
        body: { displayName: `user${n}`, birthDate: '1990-05-05', verified: true, ...input },
      });
      if (res.status !== 201) throw new Error(`createUser failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { user: User; token: string };
    },
    connect(auth = {}) {
      return connectSocket(url, auth).then((s) => {
        sockets.push(s);
        return s;
      });
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await giftwire.close();
      await quitWhenReady(deps.redis);
    },
  };
}
