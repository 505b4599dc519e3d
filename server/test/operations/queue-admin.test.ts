import { startWorkers, type RunningWorkers } from '../../../workers/start';
import { QUEUES } from '../../../shared/runtime/queues';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { artifactPath, collectPageErrors, launchBrowser } from '../support/browser';

describe('operators inspect and retry jobs: Bull Board and the queue API', () => {
  let server: TestServer;
  let workers: RunningWorkers;
  const admin = () => server.deps.config.adminToken;
  beforeAll(async () => {
    server = await startTestServer();
    workers = await startWorkers(server.deps);
  });
  afterAll(async () => {
    await workers.close();
    await server.close();
  });

  test('/admin/queues answers with the operator token (Bearer, or Basic for a browser) and refuses without', async () => {
    const page = await fetch(`${server.url}/admin/queues`, { headers: { authorization: `Bearer ${admin()}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/html/);
    const basic = Buffer.from(`operator:${admin()}`).toString('base64');
    const api = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(api.status).toBe(200);
    const shown = ((await api.json()) as { queues: Array<{ name: string; displayName?: string }> }).queues;
    expect(shown.map((q) => q.displayName).sort()).toEqual(Object.keys(QUEUES).sort());
    expect(shown.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());

    const anonymous = await fetch(`${server.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = Buffer.from('operator:wrong-token').toString('base64');
    expect(
      (await fetch(`${server.url}/admin/queues/api/queues`, { headers: { authorization: `Basic ${wrong}` } })).status,
    ).toBe(401);
    expect((await fetch(`${server.url}/admin/queues/api/queues`)).status).toBe(401);
  });

  test('a failed job is counted, and retry-failed puts it back to run again', async () => {
    const settlement = server.giftwire.ctx.queues.get(QUEUES.settlement);
    // A malformed job fails at once and stays in the failed set, as a job that ran out of attempts does.
    const job = await settlement.add('settle', { giftIds: 'not-a-list' }, { attempts: 1 });
    const counts = () =>
      server.request('GET', '/v1/admin/queues', { token: admin() }).then((r) => {
        const row = r.body.items.find((q: { name: string }) => q.name === 'settlement');
        return row as { failed: number };
      });
    await waitFor(counts, (c) => c.failed === 1, 5000);

    expect((await server.request('POST', '/v1/admin/queues/settlement/retry-failed')).status).toBe(401);
    expect((await server.request('POST', '/v1/admin/queues/nope/retry-failed', { token: admin() })).status).toBe(400);
    const retried = await server.request('POST', '/v1/admin/queues/settlement/retry-failed', { token: admin() });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ queue: 'settlement', retried: 1 });
    // it ran again (and, still malformed, failed again): one more attempt on the same job
    await waitFor(
      () => settlement.getJob(job.id!),
      (j) => (j?.attemptsMade ?? 0) >= 2 && j?.failedReason !== undefined && j.finishedOn !== undefined,
      5000,
    );
    expect((await counts()).failed).toBe(1);
  });

  test('in a real Chromium, the board asks for the token and then lists the queues', async () => {
    const browser = await launchBrowser();
    try {
      // without credentials the browser gets the Basic challenge (headless, it cannot ask anyone)
      const refused = await browser.newPage();
      const answer = await refused.goto(`${server.url}/admin/queues`).then(
        (r) => String(r?.status()),
        (err: Error) => err.message,
      );
      expect(answer).toMatch(/401|ERR_INVALID_AUTH_CREDENTIALS/);
      const context = await browser.newContext({ httpCredentials: { username: 'operator', password: admin() } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors = collectPageErrors(page);
      const elsewhere: string[] = [];
      page.on('requestfinished', (req) => {
        if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) elsewhere.push(req.url());
      });
      await page.goto(`${server.url}/admin/queues`);
      for (const name of Object.keys(QUEUES)) await page.getByText(name, { exact: true }).first().waitFor();
      await page.screenshot({ path: artifactPath('bull-board.png') });
      expect(elsewhere).toEqual([]);
      // the board's own page links Google Fonts; our Content-Security-Policy refuses it, and nothing else fails
      expect(errors.filter((e) => !/fonts[.]googleapis[.]com|ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
