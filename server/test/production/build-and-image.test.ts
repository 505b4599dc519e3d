import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../../shared/testing/free-port';
import { testRedisUrl, uniquePrefix, waitFor } from '../../../shared/testing/harness';
import { buildContext, runDockerfile, type Stage } from './dockerfile';
import { giftEndToEnd, settled } from './gift-story';
import { descendants, groupMembers, killAllCommands, runCommand, waitReady, withOutput } from './processes';

const ROOT = path.resolve(__dirname, '../../..');
const SECRETS = { JWT_SECRET: 'j'.repeat(40), ADMIN_TOKEN: 'a-production-admin-token' };
// (typescript stays: valibot, under @bull-board/api, asks for it as a peer)
// (socket.io-client stays too: the typed client, giftwire/client, is a production export)
const DEV_ONLY = ['tsx', 'esbuild', 'jest', 'ts-jest', 'pino-pretty'];

/*
 * The operator's path on a clean checkout, done for real in a temporary folder: the Dockerfile's own steps
 * (npm ci, npm run build, npm prune --omit=dev; then the runtime stage's copies), and the result started with
 * NODE_ENV=production against the test Redis: compiled JavaScript, production dependencies only.
 */
describe('a production build, as the Dockerfile makes it', () => {
  let work: string;
  let build: Stage;
  let runtime: Stage;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'giftwire-image-'));
    const context = path.join(work, 'context');
    buildContext(ROOT, context);
    // the npm cache makes `npm ci` fast and lets it run offline when every package is in it already
    const stages = runDockerfile(path.join(ROOT, 'Dockerfile'), context, path.join(work, 'stages'), {
      npm_config_prefer_offline: 'true',
    });
    build = stages.get('build')!;
    runtime = stages.get('runtime')!;
  }, 400_000);

  afterAll(async () => {
    await killAllCommands();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const app = (s: Stage) => path.join(s.root, s.workdir);

  it('holds compiled JavaScript, the Lua scripts, the catalog and the bundled pages, with no development package', () => {
    const dir = app(runtime);
    expect(runtime.env.NODE_ENV).toBe('production');
    expect(runtime.user).toBe('node');
    expect(runtime.cmd).toEqual(['node', 'dist/server/index.js']);
    for (const f of ['dist/server/index.js', 'dist/workers/index.js', 'dist/server/cli/giftwire.js']) {
      expect(existsSync(path.join(dir, f))).toBe(true);
    }
    const lua = readdirSync(path.join(dir, 'dist/shared/redis/lua')).filter((f) => f.endsWith('.lua'));
    expect(lua.sort()).toEqual(
      readdirSync(path.join(ROOT, 'shared/redis/lua'))
        .filter((f) => f.endsWith('.lua'))
        .sort(),
    );
    expect(existsSync(path.join(dir, 'dist/shared/catalog/gifts.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'dist/server/public/bundle/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.html).sort()).toEqual(['home', 'overlay', 'studio', 'watch']);
    expect(Object.keys(manifest.assets).some((n) => /^home-[A-Z0-9]{8}\.js$/.test(n))).toBe(true);
    for (const pkg of DEV_ONLY) expect(existsSync(path.join(dir, 'node_modules', pkg))).toBe(false);
    expect(existsSync(path.join(dir, 'node_modules', 'express'))).toBe(true);
    expect(existsSync(path.join(dir, 'server'))).toBe(false); // no TypeScript sources in the image
  });

  it('logs JSON in a terminal when pino-pretty is not installed, whatever NODE_ENV says', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_ENV;
    const log = "require('./dist/shared/logger').createLogger('info', 'tty').info('hello from a terminal')";
    // `script` runs the command on a pseudo-terminal: stdout.isTTY is true, as for a person at a console
    const run = spawnSync('script', ['-qec', `node -e "${log}"`, '/dev/null'], {
      cwd: app(runtime),
      env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"msg":"hello from a terminal"');
  });

  it('runs its CMD and the workers with NODE_ENV=production: ready, the pages, a gift end to end, the HEALTHCHECK passes, no tsx or esbuild', async () => {
    const dir = app(runtime);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...runtime.env,
      ...SECRETS,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      KEY_PREFIX: uniquePrefix(),
      LOG_LEVEL: 'warn',
    };
    const server = runCommand(runtime.cmd!, dir, env);
    const workers = runCommand(['node', 'dist/workers/index.js'], dir, env);
    await withOutput(server, () => waitReady(url, server));

    const health = spawnSync(runtime.healthcheck![0]!, runtime.healthcheck!.slice(1), {
      cwd: dir,
      env: { ...process.env, ...env },
    });
    expect(health.status).toBe(0);

    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    const script = /src="\/assets\/(home-[A-Z0-9]+\.js)"/.exec(html)![1]!;
    expect((await fetch(`${url}/assets/${script}`)).status).toBe(200);
    expect((await fetch(`${url}/v1/dev/login`, { method: 'POST' })).status).toBe(404); // production

    const story = await giftEndToEnd(url, SECRETS.ADMIN_TOKEN);
    await settled(url, story.fanToken);
    for (const s of story.sockets) s.disconnect();

    const everything = [server, workers].flatMap((c) => [
      { pid: c.child.pid!, args: c.child.spawnargs.join(' ') },
      ...descendants(c.child.pid!),
    ]);
    expect(everything.filter((p) => /tsx|esbuild/.test(p.args))).toEqual([]);

    expect(await server.stop()).toBe(0);
    expect(await workers.stop()).toBe(0);
  }, 120_000);

  it('npm run start:prod runs the compiled launcher: the server and the workers, from dist/, after npm prune', async () => {
    const dir = app(build);
    for (const pkg of DEV_ONLY) expect(existsSync(path.join(dir, 'node_modules', pkg))).toBe(false);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: 'production',
      ...SECRETS,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      KEY_PREFIX: uniquePrefix(),
      LOG_LEVEL: 'warn',
    };
    const launcher = runCommand(['npm', 'run', 'start:prod'], dir, env);
    await withOutput(launcher, async () => {
      await waitReady(url, launcher);
      const story = await giftEndToEnd(url, SECRETS.ADMIN_TOKEN);
      await settled(url, story.fanToken);
      for (const s of story.sockets) s.disconnect();

      const tree = descendants(launcher.child.pid!);
      expect(tree.filter((p) => /dist\/server\/index\.js/.test(p.args))).toHaveLength(1);
      expect(tree.filter((p) => /dist\/workers\/index\.js/.test(p.args))).toHaveLength(1);
      expect(tree.filter((p) => /tsx|esbuild/.test(p.args))).toEqual([]);
      // as a terminal's Ctrl-C would: the whole group gets the signal (npm and its shell die of it), the launcher
      // stops its children gracefully, and every process of the group is gone
      await launcher.stop();
      await waitFor(
        () => groupMembers(launcher),
        (left) => left.length === 0,
        30_000,
        100,
      );
      expect(launcher.output()).toContain('stopping the server and the workers');
    });
  }, 120_000);
});
