import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testRedisUrl, uniquePrefix } from '../../shared/testing/harness';
import type { RunResult } from '../lib/result';

/**
 * The simulator end to end, as a user runs it: `tsx load-tests/run.ts` as a child process starts its own Giftwire
 * (server and workers as child processes, on the test Redis under a fresh prefix), sets up a tiny gift war through
 * the public API, sends gifts by the clock, waits for settlement and checks the books.
 */
const ROOT = path.resolve(__dirname, '..', '..');

function runSimulator(args: string[], outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'load-tests', 'run.ts'),
        ...args,
        '--out',
        outDir,
        '--quiet',
        '--redis-url',
        testRedisUrl(),
        '--key-prefix',
        uniquePrefix(),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), 50_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the gift-war simulator', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('runs a tiny war with a battle, writes its JSON and HTML report, and proves no coin was lost', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'giftwire-load-test-'));
    dirs.push(out);
    const { code, output } = await runSimulator(
      [
        'war',
        '--watchers',
        '6',
        '--senders',
        '4',
        '--opponent-share',
        '0.25',
        '--rate',
        '24',
        '--duration',
        '2',
        '--ramp-up',
        '1',
        '--agents',
        '1',
        '--mix',
        'rose:5,galaxy:1',
      ],
      out,
    );
    expect({ code, tail: output.slice(-3000) }).toMatchObject({ code: 0 });

    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.ok).toBe(true);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    const names = result.checks.map((c) => c.name).join('\n');
    expect(names).toMatch(/creator socket .* exactly once/);
    expect(names).toMatch(/every acknowledged gift is settled/);
    expect(names).toMatch(/battle scores/);
    expect(names).toMatch(/reconciliation/);
    // 24 gifts/s for 2 s after a 1 s ramp (12 more): every one offered was acknowledged and reached a screen.
    expect(result.timeline.reduce((n, s) => n + s.sent, 0)).toBe(60);
    expect(result.timeline.reduce((n, s) => n + s.accepted, 0)).toBe(60);
    expect(result.summary.ackMs.count).toBeGreaterThan(0);
    expect(result.summary.screenMs.count).toBeGreaterThan(0);
    expect(result.summary.settlementLagMs.count).toBeGreaterThan(0);
    expect(result.setup).toMatchObject({ streams: 2, senders: 4, connectFailures: 0 });
    expect(result.setup.battle).not.toBeNull();

    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('PASS: no coin lost');
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(8);
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(output).toMatch(/Checks[\s\S]*PASS/);
  }, 60_000);

  it('fails the run (exit 1) when acknowledged gifts are not settled in time', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'giftwire-load-test-'));
    dirs.push(out);
    // The outbox relay holds its batch for 10 minutes, and the run waits only a second for settlement.
    const { code, output } = await runSimulator(
      [
        'steady',
        '--watchers',
        '2',
        '--senders',
        '2',
        '--rate',
        '10',
        '--duration',
        '1',
        '--ramp-up',
        '0',
        '--agents',
        '1',
        '--settle-timeout',
        '1',
        '--server-env',
        'SETTLE_BATCH_MS=600000',
      ],
      out,
    );
    expect({ code, tail: output.slice(-2000) }).toMatchObject({ code: 1 });
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toContain('every acknowledged gift is settled');
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('FAIL');
  }, 60_000);
});
