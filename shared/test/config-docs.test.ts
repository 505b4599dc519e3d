import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENV_NAMES } from '../config';

/** Every variable shared/config.ts reads has its row in the README's configuration table. */
describe("the README's configuration table", () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
  );
  const documented = new Set(
    section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)),
  );

  it('finds the variables config.ts reads', () => {
    expect(ENV_NAMES.length).toBeGreaterThan(40);
    expect(ENV_NAMES).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'PUBLIC_URL', 'SERVER_PROCESSES']));
  });

  it.each([...ENV_NAMES])('lists %s', (name) => {
    expect(documented.has(name)).toBe(true);
  });

  it('lists nothing config.ts does not read', () => {
    expect([...documented].filter((name) => !ENV_NAMES.includes(name))).toEqual([]);
  });
});
