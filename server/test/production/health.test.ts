import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { startLocalRedis, type LocalRedis } from '../../../shared/redis/local-server';
import { freePort } from '../../../shared/testing/free-port';
import { testRedisUrl, uniquePrefix, waitFor } from '../../../shared/testing/harness';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startTestServer, type TestServer } from '../support/test-server';

/*
 * Liveness says the process runs; readiness says it can do its job: Redis takes a real write, the Lua scripts are
 * loaded, and it is not shutting down. A PING is not enough: at maxmemory Redis answers PING and refuses writes.
 */
describe('readiness is a real write, not a PING', () => {
  let redis: LocalRedis;
  let dir: string;
  let s: TestServer;
  let admin: Redis;

  beforeAll(async () => {
    // a Redis of this test's own: it is filled to its memory limit, which the shared test Redis must never be
    dir = mkdtempSync(path.join(tmpdir(), 'giftwire-health-'));
    redis = await startLocalRedis({ port: await freePort(), dir, quiet: true, extraArgs: ['--save', ''] });
    s = await startTestServer({ redisUrl: redis.url });
    admin = new Redis(redis.url);
  });

  afterAll(async () => {
    await admin.config('SET', 'maxmemory', '0');
    admin.disconnect();
    await s.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 200 on /health/live, /health/ready and /health while all is well', async () => {
    for (const p of ['/health/live', '/health/ready', '/health']) {
      const res = await s.request('GET', p);
      expect([p, res.status, res.body]).toEqual([p, 200, { status: 'ok' }]);
    }
    // the probe's own key, with an expiry: readiness leaves nothing behind
    const ttl = await admin.pttl(s.deps.keys.health);
    expect(ttl).toBeGreaterThan(0);
  });

  it('with Redis full (maxmemory, noeviction) ready is 503 with the error shape while live stays 200', async () => {
    // data past the limit: noeviction makes Redis refuse every write (a settling gift, a recharge) and keep reading
    for (let i = 0; i < 64; i++) await admin.set(`filler:${i}`, 'x'.repeat(16 * 1024));
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    await admin.config('SET', 'maxmemory', String(Math.floor(used / 2)));
    const oom = (p: Promise<unknown>) =>
      p.then(
        () => false,
        (err: Error) => /OOM/.test(err.message),
      );
    expect(await oom(admin.set('probe', '1'))).toBe(true);
    expect(await admin.ping()).toBe('PONG'); // what the old /health checked

    const ready = await s.request('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/write/) });
    expect((await s.request('GET', '/health')).status).toBe(503);
    expect((await s.request('GET', '/health/live')).status).toBe(200);

    await admin.config('SET', 'maxmemory', '0');
    expect((await s.request('GET', '/health/ready')).status).toBe(200);
  });

  it('loads the Lua scripts again when Redis lost them (a restart empties its script cache)', async () => {
    await admin.script('FLUSH');
    expect((await s.request('GET', '/health/ready')).status).toBe(200);
    const [loaded] = (await admin.info('memory')).match(/number_of_cached_scripts:(\d+)/)!.slice(1);
    expect(Number(loaded)).toBeGreaterThan(5);
  });
});

describe('on SIGTERM a server stops taking traffic before it stops', () => {
  afterAll(() => killAllEntries());

  it('turns ready 503 first (live still 200), then closes its sockets so clients reconnect, then exits 0', async () => {
    const server = await startServerProcess({
      REDIS_URL: testRedisUrl(),
      KEY_PREFIX: uniquePrefix(),
      SHUTDOWN_DRAIN_MS: '1500',
    });
    const { connectSocket } = await import('../../../shared/testing/harness');
    const socket = await connectSocket(server.url);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    server.child.kill('SIGTERM');
    const seen = await waitFor(
      async () => {
        const [ready, live] = await Promise.all(
          ['/health/ready', '/health/live'].map((p) =>
            fetch(server.url + p).then(
              async (r) => ({ status: r.status, body: (await r.json()) as any }),
              () => null,
            ),
          ),
        );
        return { ready, live };
      },
      (v) => v.ready?.status === 503,
      5000,
      20,
    );
    expect(seen.ready!.body.error.code).toBe('UNAVAILABLE');
    expect(seen.live!.status).toBe(200);
    expect(socket.connected).toBe(true); // still served while the proxy takes note

    // a server-side disconnect ("io server disconnect") would stop the client from reconnecting; a closed transport does not
    expect(await dropped).toBe('transport close');
    expect(await server.exited).toBe(0);
  }, 30_000);
});
