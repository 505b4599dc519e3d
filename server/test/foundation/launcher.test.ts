import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../../../shared/testing/free-port';
import { waitForHealth } from '../../../shared/process';
import { spawnEntry } from '../../../shared/testing/processes';

const ROOT = path.resolve(__dirname, '../../..');

describe('npm start on a machine with no Redis running', () => {
  let launcher: ChildProcess | undefined;
  afterAll(() => {
    if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
  });

  it('starts its own redis-server with AOF, serves /health, and stops everything on SIGTERM', async () => {
    const [port, redisPort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(path.join(tmpdir(), 'giftwire-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      LOCAL_REDIS_PORT: String(redisPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    delete env.REDIS_URL;
    launcher = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/giftwire.ts')], {
      env,
      cwd: ROOT,
      stdio: 'ignore',
    });

    await waitForHealth(`http://127.0.0.1:${port}`, [launcher], { timeoutMs: 30_000 });

    const redis = new Redis(`redis://127.0.0.1:${redisPort}`);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    redis.disconnect();
    expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);

    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', (code) => resolve(code)));
    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.status)
      .catch(() => 'down');
    expect(after).toBe('down');
    const probe = new Redis(`redis://127.0.0.1:${redisPort}`, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    await expect(probe.connect()).rejects.toThrow();
  }, 60_000);
});

describe('a server pointed at an unsafe Redis', () => {
  it('refuses to start and says why', async () => {
    const { startLocalRedis } = await import('../../../shared/redis/local-server');
    const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-unsafe-'));
    const unsafe = await startLocalRedis({
      port: await freePort(),
      dir,
      quiet: true,
      extraArgs: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'],
    });
    try {
      const server = spawnEntry('server/index.ts', {
        REDIS_URL: unsafe.url,
        PORT: String(await freePort()),
        LOG_LEVEL: 'fatal',
      });
      const code = await server.exited;
      const output = server.output();
      expect(code).not.toBe(0);
      expect(output).toMatch(/appendonly/);
      expect(output).toMatch(/noeviction/);
    } finally {
      await unsafe.stop();
    }
  }, 30_000);
});
