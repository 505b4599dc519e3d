import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CrashBackoff } from '../../../shared/crash-backoff';
import { freePort } from '../../../shared/testing/free-port';
import { waitFor } from '../../../shared/testing/harness';
import { superviseChild } from '../../cli/supervise';
import { descendants } from './processes';

const ROOT = path.resolve(__dirname, '../../..');

/*
 * `npm start` on one machine keeps itself running: the local redis-server, the server and the workers are watched
 * and restarted when they die, and a stop takes the processes that use Redis down before Redis.
 */
describe('npm start supervises its children', () => {
  let launcher: ChildProcess;
  let output = '';
  let dataDir: string;
  let url: string;

  const ready = () =>
    fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.status,
      () => 0,
    );
  const child = (pattern: RegExp) => descendants(launcher.pid!).find((p) => pattern.test(p.args));

  beforeAll(async () => {
    const [port, redisPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(path.join(tmpdir(), 'giftwire-supervised-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOCAL_REDIS_PORT: String(redisPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_MS: '200',
    };
    delete env.REDIS_URL;
    delete env.NODE_ENV;
    launcher = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/giftwire.ts')], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, as in a terminal, so that a Ctrl-C can be sent to the whole group
      detached: true,
    });
    const keep = (b: Buffer) => {
      output += b.toString();
    };
    launcher.stdout!.on('data', keep);
    launcher.stderr!.on('data', keep);
    await waitFor(ready, (s) => s === 200, 90_000, 200).catch((err) => {
      throw new Error(`${err}\n${output}`);
    });
  }, 120_000);

  afterAll(() => {
    if (launcher.exitCode === null && launcher.signalCode === null) {
      for (const d of descendants(launcher.pid!)) {
        try {
          process.kill(d.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      launcher.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a banner a newcomer can act on: the demo, how to get an overlay URL, the development admin token', async () => {
    // the banner is written a line at a time, and may be read so: wait for its last line
    await waitFor(
      () => output,
      (o) => o.includes('Giftwire is ready') && o.includes('JWT_SECRET is not set: using the development secret'),
    );
    expect(output).toMatch(/demo: +http:\/\/localhost:\d+\//);
    expect(output).toContain('/v1/overlay-key');
    expect(output).toContain('the development token is dev-admin-token');
  });

  it('restarts a redis-server that dies, and /health/ready comes back to 200 by itself', async () => {
    const redis = child(/redis-server/)!;
    process.kill(redis.pid, 'SIGKILL');
    await waitFor(
      () => output,
      (o) => /redis-server exited \(SIGKILL\); restarting it/.test(o),
    );
    await waitFor(
      () => child(/redis-server/)?.pid,
      (pid) => pid !== undefined && pid !== redis.pid,
      30_000,
      100,
    );
    expect(await waitFor(ready, (s) => s === 200, 30_000, 200)).toBe(200);
  }, 60_000);

  it('restarts a server process that dies', async () => {
    const server = child(/server\/index\.ts/)!;
    process.kill(server.pid, 'SIGKILL');
    await waitFor(
      () => output,
      (o) => /server exited \(SIGKILL\); restarting it/.test(o),
    );
    expect(await waitFor(ready, (s) => s === 200, 60_000, 200)).toBe(200);
    expect(child(/server\/index\.ts/)!.pid).not.toBe(server.pid);
  }, 90_000);

  it("on a terminal's Ctrl-C (SIGINT to the whole group) stops the server and the workers first, then Redis, and exits 0", async () => {
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    process.kill(-launcher.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    const stoppingChildren = output.indexOf('stopping the server and the workers');
    const stoppingRedis = output.indexOf('stopping the local redis-server');
    expect(stoppingChildren).toBeGreaterThan(-1);
    expect(stoppingRedis).toBeGreaterThan(stoppingChildren);
    // Redis runs in its own group: the Ctrl-C never reached it; the launcher's SIGTERM did, last
    expect(output).not.toMatch(/Received SIGINT/);
    expect(output.indexOf('Received SIGTERM')).toBeGreaterThan(stoppingRedis);
    expect(await ready()).toBe(0);
  }, 60_000);
});

describe('a child that keeps crashing at start', () => {
  it('is restarted with backoff, then given up on', async () => {
    const said: string[] = [];
    let starts = 0;
    const gaveUp = new Promise<void>((resolve) => {
      superviseChild(
        'server',
        () => {
          starts += 1;
          return spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
        },
        (line) => said.push(line),
        resolve,
        1000,
        new CrashBackoff({ maxFastCrashes: 3, baseMs: 20, maxMs: 100 }),
      );
    });
    await gaveUp;
    expect(starts).toBe(4);
    expect(said).toEqual([
      'server exited (3); restarting it in 20 ms',
      'server exited (3); restarting it in 40 ms',
      'server exited (3); restarting it in 80 ms',
      'server keeps exiting right after it starts (3): giving up',
    ]);
  });
});

describe('restart backoff', () => {
  it('doubles over consecutive fast crashes, starts again after a long run, and gives up after too many', () => {
    const b = new CrashBackoff({ fastMs: 10_000, maxFastCrashes: 3, baseMs: 500, maxMs: 1500 });
    expect([b.next(100), b.next(100), b.next(100)]).toEqual([500, 1000, 1500]);
    expect(b.next(100)).toBeNull();
    expect(b.next(60_000)).toBe(500); // it ran a minute: a new series
  });
});
