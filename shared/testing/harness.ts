import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { parseClusterNodes, testConfig, type ClusterNode, type Config } from '../config';
import { createLogger } from '../logger';
import { createRedis, quitWhenReady } from '../redis/client';
import { createKeys } from '../redis/keys';
import type { Deps } from '../domain/deps';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket';

/** The test Redis Cluster's nodes when this test file runs in the jest project `cluster`, else undefined. */
export function testClusterNodes(): ClusterNode[] | undefined {
  const nodes = process.env.REDIS_CLUSTER_NODES; // set by cluster-run.ts in the cluster project only
  return nodes ? parseClusterNodes(nodes) : undefined;
}

export function isClusterRun(): boolean {
  return testClusterNodes() !== undefined;
}

/**
 * The test Redis's URL. On a cluster run: one master's, which a spawned process ignores (it inherits
 * REDIS_CLUSTER_NODES), and which a test must not use for keys (use testDeps(): its connection follows MOVED).
 */
export function testRedisUrl(): string {
  const cluster = testClusterNodes();
  if (cluster) return `redis://${cluster[0]!.host}:${cluster[0]!.port}`;
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (globalSetup starts Redis)');
  return url;
}

/** A fresh key prefix: every test file (or test) gets its own slice of the shared test Redis. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** Deps against the test Redis (or, in the cluster project, the test cluster) with a unique prefix; `close()` disconnects. */
export function testDeps(overrides: Partial<Config> = {}): Deps & { close(): Promise<void> } {
  const config = testConfig({
    redisUrl: testRedisUrl(),
    redisClusterNodes: testClusterNodes(),
    keyPrefix: uniquePrefix(),
    ...overrides,
  });
  const redis = createRedis(config);
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
