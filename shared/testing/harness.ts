import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { testConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { createRedis, quitWhenReady } from '../redis/client';
import { createKeys } from '../redis/keys';
import type { Deps } from '../domain/deps';
import { createApp, type GiftwireApp } from '../../server/app';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket';
import type { User } from '../contracts/users';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (globalSetup starts Redis)');
  return url;
}

/** A fresh key prefix: every test file (or test) gets its own slice of the shared test Redis. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** Deps against the test Redis with a unique prefix; `close()` disconnects. */
export function testDeps(overrides: Partial<Config> = {}): Deps & { close(): Promise<void> } {
  const config = testConfig({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix(), ...overrides });
  const redis = createRedis(config.redisUrl!);
  return {
    config,
    redis,
    keys: createKeys(config.keyPrefix),
    log: createLogger(config.logLevel, 'test'),
    async close() {
      await quitWhenReady(redis);
    },
  };
}

export interface TestServer {
  url: string;
  deps: Deps;
  giftwire: GiftwireApp;
  /** JSON request helper; `token` is a user token or the admin token. */
  request<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates a user through the operator API; adult and verified unless told otherwise. */
  createUser(input?: Partial<{ displayName: string; birthDate: string; verified: boolean; followers: number }>): Promise<{ user: User; token: string }>;
  /** A connected socket.io client (resolves on connect, rejects on connect_error). */
  connect(auth?: Record<string, unknown>): Promise<TestSocket>;
  close(): Promise<void>;
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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

export function connectSocket(url: string, auth: Record<string, unknown> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const socket: TestSocket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** Emits an event and resolves with its acknowledgement. */
export function emitAck<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

/** Resolves when `predicate` holds, polling; for waiting on asynchronous effects without fixed sleeps. */
export async function waitFor<T>(fn: () => Promise<T> | T, predicate: (v: T) => boolean, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`waitFor timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
