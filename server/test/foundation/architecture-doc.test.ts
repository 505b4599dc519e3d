import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const doc = readFileSync(path.join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');

/** The body of one `## ` section of the page. */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no section "${title}"`);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** The rows of the first markdown table in `text`, header and rule lines left out, as arrays of cells. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) => l.split('|').slice(1, -1));
}

/** Backticked repository paths in a cell: they contain a slash or a dot and no spaces or placeholders. */
function pathsIn(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((p) => /[/.]/.test(p) && !/[\s<>*]/.test(p));
}

describe('docs/ARCHITECTURE.md takes a newcomer to the right file', () => {
  const rows = tableRows(section('To change X, open Y'));

  it('has a "to change X, open Y" row for every capability, each naming at least one path', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    const withoutPath = rows.filter(([, open]) => pathsIn(open ?? '').length === 0).map(([what]) => what);
    expect(withoutPath).toEqual([]);
  });

  it('points only at paths that exist', () => {
    const missing = rows.flatMap(([, open]) => pathsIn(open ?? '')).filter((p) => !existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  it('names every layering rule that npm run deps enforces', () => {
    const config = readFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), 'utf8');
    const rules = [...config.matchAll(/name: '([a-z-]+)'/g)].map((m) => m[1]!);
    expect(rules.length).toBeGreaterThan(5);
    const imports = section('Who may import whom');
    expect(rules.filter((r) => !imports.includes(`\`${r}\``))).toEqual([]);
  });
});
