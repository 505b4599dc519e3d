import { testConfig } from '../../../shared/config';
import { checkWebhookUrl, resolveWebhookTarget } from '../../../shared/domain/webhooks-ssrf';
import { fundedViewer } from '../../../shared/testing/money';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server';
import { startWorkers, type RunningWorkers } from '../../start';
import { startReceiver, type Receiver } from './receiver';

/**
 * Webhooks must not turn Giftwire into a way into the network it runs in: private and loopback addresses are
 * refused (loopback is let through outside production, for a developer's receiver), WEBHOOK_ALLOWED_HOSTS narrows
 * the hosts, and the check runs again at delivery on the addresses the host resolves to then.
 */
describe('the SSRF guard refuses private addresses at registration and at delivery', () => {
  const production = testConfig({ env: 'production' });

  it('registration refuses private, link-local and unspecified addresses in any environment', async () => {
    const s = await startTestServer();
    try {
      for (const url of [
        'http://10.1.2.3/hook',
        'http://192.168.0.10/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://[fd00::1]/hook',
        'http://0.0.0.0/hook',
        'http://[::ffff:10.0.0.1]/hook',
      ]) {
        const res = await s.request('POST', '/v1/admin/webhooks', {
          token: s.deps.config.adminToken,
          body: { url, events: ['*'] },
        });
        expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'VALIDATION_FAILED']);
      }
      expect((await s.request('GET', '/v1/admin/webhooks', { token: s.deps.config.adminToken })).body.items).toEqual(
        [],
      );
    } finally {
      await s.close();
    }
  });

  it('loopback is refused in production unless listed; WEBHOOK_ALLOWED_HOSTS admits only its hosts', async () => {
    await expect(checkWebhookUrl(production, 'http://127.0.0.1:8080/x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(checkWebhookUrl(production, 'http://localhost:8080/x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(checkWebhookUrl(testConfig(), 'http://127.0.0.1:8080/x')).resolves.toBeUndefined();
    const listed = { ...production, webhookAllowedHosts: ['localhost', '.hooks.example.com'] };
    await expect(checkWebhookUrl(listed, 'http://localhost:8080/x')).resolves.toBeUndefined();
    await expect(resolveWebhookTarget(listed, 'http://localhost:8080/x')).resolves.toMatchObject({
      address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
    });
    await expect(checkWebhookUrl(listed, 'https://elsewhere.example.org/x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(checkWebhookUrl(listed, 'http://127.0.0.1:8080/x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    // the name resolves (here through /etc/hosts) to loopback: refused at delivery, after resolution
    await expect(resolveWebhookTarget(production, 'http://localhost:8080/x')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  describe('at delivery', () => {
    let s: TestServer;
    let workers: RunningWorkers;
    let receiver: Receiver;
    beforeAll(async () => {
      s = await startTestServer({ webhookRelayEveryMs: 50, webhookRetryBaseMs: 100, webhookAttempts: 3 });
      // these workers run as production does: the loopback receiver registered in development is refused now
      workers = await startWorkers({ ...s.deps, config: { ...s.deps.config, env: 'production' } });
      receiver = await startReceiver([200]);
    });
    afterAll(async () => {
      await workers.close();
      await s.close();
      await receiver.close();
    });

    it('a host that resolves to a refused address is never called; the log says failed, with no status', async () => {
      const url = `http://localhost:${receiver.port}/hook`;
      const res = await s.request('POST', '/v1/admin/webhooks', {
        token: s.deps.config.adminToken,
        body: { url, events: ['recharge.succeeded'] },
      });
      expect(res.status).toBe(201);
      await fundedViewer(s.deps, 10);
      const log = async () =>
        (
          await s.request('GET', `/v1/admin/webhooks/${res.body.webhook.id}/deliveries`, {
            token: s.deps.config.adminToken,
          })
        ).body.items;
      await waitFor(log, (items) => items[0]?.status === 'failed');
      expect((await log())[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(receiver.got).toEqual([]);
    });
  });
});
