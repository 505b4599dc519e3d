import { spawnSync } from 'node:child_process';
import { findRedisServer } from '../../shared/redis/local-server';

/**
 * Finds redis-server on PATH, or installs it where that is safe to do unattended (apt-get as root on
 * Debian/Ubuntu, Homebrew on macOS). Otherwise says exactly how to get one and returns null.
 */
export function ensureRedisServer(say: (line: string) => void): string | null {
  const found = findRedisServer();
  if (found) return found;

  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  const run = (cmd: string) => {
    say(`$ ${cmd}`);
    return spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;
  };

  if (process.platform === 'linux' && has('apt-get') && process.getuid?.() === 0) {
    say('redis-server is not installed: installing it with apt-get (Debian/Ubuntu, running as root)...');
    if (
      run('DEBIAN_FRONTEND=noninteractive apt-get update -qq') &&
      run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server')
    ) {
      return findRedisServer();
    }
  } else if (process.platform === 'darwin' && has('brew')) {
    say('redis-server is not installed: installing it with Homebrew...');
    if (run('brew install redis')) return findRedisServer();
  }

  say(
    [
      'Giftwire needs Redis 7 and could not find or install redis-server. Either:',
      '  - install it:   sudo apt-get install -y redis-server   (Debian/Ubuntu)',
      '                  brew install redis                      (macOS)',
      '  - or point Giftwire at a running Redis:   REDIS_URL=redis://host:6379 npm start',
      '  - or run everything with Docker:          docker compose up',
    ].join('\n'),
  );
  return null;
}
