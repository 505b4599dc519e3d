import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

/** The client ships to browsers: it compiles with the DOM's types and without Node's (tsconfig.client.json). */
test('the client compiles for the browser, without Node built-ins', async () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const run = promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.client.json', '--noEmit'], { cwd: ROOT });
  await expect(
    run.then(
      () => 'compiled',
      (err: { stdout: string }) => err.stdout,
    ),
  ).resolves.toBe('compiled');
}, 60_000);
