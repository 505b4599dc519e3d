import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundlePages, writeBundle } from '../server/http/assets';

/**
 * `npm run build`: everything a production run needs, in dist/, so that it runs with production dependencies
 * only (no tsx, no esbuild): the compiled JavaScript (tsc), the Lua scripts and catalog data that the compiled
 * modules read from beside themselves, and the pages bundled once with hashed names.
 */
const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const say = (line: string) => console.log(`[build] ${line}`);

function copyDir(from: string, to: string): void {
  cpSync(path.join(ROOT, from), path.join(DIST, to), { recursive: true });
  say(`copied ${from} -> dist/${to}`);
}

async function main() {
  rmSync(DIST, { recursive: true, force: true });
  say('tsc -p tsconfig.build.json');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error(`tsc failed (${tsc.status ?? tsc.signal})`);

  copyDir('shared/redis/lua', 'shared/redis/lua');
  copyDir('shared/catalog', 'shared/catalog');

  const bundle = await bundlePages();
  const out = path.join(DIST, 'server', 'public', 'bundle');
  await writeBundle(bundle, out);
  say(`bundled the pages: ${bundle.assets.size} files in dist/server/public/bundle`);

  for (const entry of ['server/index.js', 'workers/index.js', 'server/cli/giftwire.js']) {
    if (!existsSync(path.join(DIST, entry))) throw new Error(`dist/${entry} is missing`);
  }
  if (readdirSync(path.join(DIST, 'shared', 'redis', 'lua')).length === 0) throw new Error('no Lua scripts in dist');
  say('done: npm run start:prod (or node dist/server/index.js / node dist/workers/index.js)');
}

main().catch((err) => {
  console.error(`[build] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
