import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { testConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { createRedis, quitWhenReady } from '../redis/client';
import { createKeys } from '../redis/keys';
import type { Deps } from '../domain/deps';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket';

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

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  predicate: (v: T) => boolean,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`waitFor timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
