import { createGiftwireClient } from '../../../shared/client';
import { loadConfig } from '../../../shared/config';
import { fundedViewer } from '../../../shared/testing/money';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../../../server/test/support/test-server';
import { startWorkers, type RunningWorkers } from '../../start';
import { startReceiver, type Receiver } from './receiver';

/**
 * The delivery promise: a 2xx within 10 s delivers; anything else is retried with backoff, with the same id and
 * body, and shows in the operator's delivery log; after the last attempt the operator can redeliver.
 */
describe('deliveries are retried with the same id and body, logged, and can be redelivered', () => {
  let s: TestServer;
  let workers: RunningWorkers;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    s = await startTestServer({ webhookRelayEveryMs: 50, webhookRetryBaseMs: 100, webhookAttempts: 3 });
    workers = await startWorkers(s.deps);
  });
  afterAll(async () => {
    await workers.close();
    await s.close();
    for (const r of receivers) await r.close();
  });

  const admin = () => s.deps.config.adminToken;
  async function subscribe(answers: number[], events: string[]) {
    const receiver = await startReceiver(answers);
    receivers.push(receiver);
    const res = await s.request('POST', '/v1/admin/webhooks', { token: admin(), body: { url: receiver.url, events } });
    expect(res.status).toBe(201);
    receiver.setSecret(res.body.webhook.secret);
    return { receiver, webhook: res.body.webhook as { id: string; secret: string } };
  }
  const log = async (id: string) => {
    const res = await s.request('GET', `/v1/admin/webhooks/${id}/deliveries?limit=10`, { token: admin() });
    expect(res.status).toBe(200);
    return res.body.items as Array<Record<string, unknown>>;
  };

  it('the defaults keep the contract: first retry within 10 s, at least 8 attempts over at least an hour', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c.webhookRetryBaseMs).toBeLessThanOrEqual(10_000);
    expect(c.webhookAttempts).toBeGreaterThanOrEqual(8);
    // BullMQ's exponential backoff waits base * 2^(n-1) before retry n
    const span = Array.from({ length: c.webhookAttempts - 1 }, (_, n) => c.webhookRetryBaseMs * 2 ** n).reduce(
      (x, y) => x + y,
    );
    expect(span).toBeGreaterThanOrEqual(3_600_000);
  });

  it('a receiver that answers 500 and then 200 gets the same event twice, same id, same body; the log says delivered', async () => {
    const { receiver, webhook } = await subscribe([500, 200], ['recharge.succeeded']);
    const bystander = await subscribe([200], ['payout.paid']);
    const buyer = await fundedViewer(s.deps, 300);
    await waitFor(
      () => receiver.got.length,
      (n) => n === 2,
    );
    const [first, second] = receiver.got;
    expect(first!.answered).toBe(500);
    expect(second!.answered).toBe(200);
    expect(second!.raw).toBe(first!.raw);
    expect(second!.headers['giftwire-event-id']).toBe(first!.headers['giftwire-event-id']);
    expect([first!.verified, second!.verified]).toEqual([true, true]);
    expect(first!.body).toMatchObject({ type: 'recharge.succeeded', data: { userId: buyer.id } });
    await waitFor(
      () => log(webhook.id),
      (items) => items[0]?.status === 'delivered',
    );
    expect(await log(webhook.id)).toEqual([
      {
        eventId: first!.body.id,
        type: 'recharge.succeeded',
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
        lastAttemptAt: expect.any(Number),
      },
    ]);
    // a webhook that wants other types hears nothing of it
    expect(bystander.receiver.got).toEqual([]);
    expect(await log(bystander.webhook.id)).toEqual([]);
  });

  it('a receiver that keeps failing: failed after the last attempt; the operator redelivers and it lands', async () => {
    const { receiver, webhook } = await subscribe([503], ['recharge.succeeded']);
    await fundedViewer(s.deps, 100);
    await waitFor(
      () => log(webhook.id),
      (items) => items[0]?.status === 'failed',
    );
    expect(receiver.got).toHaveLength(3);
    const [entry] = await log(webhook.id);
    expect(entry).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 503 });

    receiver.setAnswers([200]);
    const again = await s.request('POST', `/v1/admin/webhooks/${webhook.id}/deliveries/${entry!.eventId}/redeliver`, {
      token: admin(),
    });
    expect(again.status).toBe(202);
    expect(again.body.delivery).toMatchObject({ eventId: entry!.eventId, status: 'pending', attempts: 3 });
    await waitFor(
      () => log(webhook.id),
      (items) => items[0]?.status === 'delivered',
    );
    expect(receiver.got).toHaveLength(4);
    expect(receiver.got[3]!.raw).toBe(receiver.got[0]!.raw);
    expect(receiver.got[3]!.verified).toBe(true);
    expect((await log(webhook.id))[0]).toMatchObject({ attempts: 4, lastStatusCode: 200 });

    const unknown = await s.request(
      'POST',
      `/v1/admin/webhooks/${webhook.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
      { token: admin() },
    );
    expect(unknown.status).toBe(404);
  });

  it('the operator lists webhooks without secrets, deletes one, and the audit log records each action', async () => {
    const { webhook } = await subscribe([200], ['stream.started', 'stream.ended']);
    const listed = await s.request('GET', '/v1/admin/webhooks', { token: admin() });
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((w: { id: string }) => w.id === webhook.id);
    expect(mine).toEqual({
      id: webhook.id,
      url: expect.any(String),
      events: ['stream.started', 'stream.ended'],
      createdAt: expect.any(Number),
    });
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    expect((await s.request('DELETE', `/v1/admin/webhooks/${webhook.id}`, { token: admin() })).status).toBe(204);
    expect((await s.request('DELETE', `/v1/admin/webhooks/${webhook.id}`, { token: admin() })).status).toBe(404);
    const after = await s.request('GET', '/v1/admin/webhooks', { token: admin() });
    expect(after.body.items.map((w: { id: string }) => w.id)).not.toContain(webhook.id);
    expect((await s.request('GET', `/v1/admin/webhooks/${webhook.id}/deliveries`, { token: admin() })).status).toBe(
      404,
    );

    const audit = await s.request('GET', '/v1/admin/audit?limit=100', { token: admin() });
    const actions = audit.body.items.map((e: { action: string; target: string }) => `${e.action} ${e.target}`);
    expect(actions).toEqual(expect.arrayContaining([`webhook.create ${webhook.id}`, `webhook.delete ${webhook.id}`]));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('webhook.redeliver');
  });

  it('the typed client drives the same routes for an integrator', async () => {
    const client = createGiftwireClient({ baseUrl: s.url, token: admin() });
    try {
      const receiver = await startReceiver([200]);
      receivers.push(receiver);
      const hook = await client.rest.admin.createWebhook({ url: receiver.url, events: ['recharge.succeeded'] });
      receiver.setSecret(hook.secret);
      expect((await client.rest.admin.webhooks()).map((w) => w.id)).toContain(hook.id);
      await fundedViewer(s.deps, 7);
      const [delivered] = await waitFor(
        () => client.rest.admin.webhookDeliveries(hook.id, { limit: 5 }),
        (items) => items[0]?.status === 'delivered',
      );
      const again = await client.rest.admin.redeliverWebhook(hook.id, delivered!.eventId);
      expect(again).toMatchObject({ eventId: delivered!.eventId, status: 'pending' });
      await waitFor(
        () => receiver.got.length,
        (n) => n === 2,
      );
      expect(receiver.got[1]!.raw).toBe(receiver.got[0]!.raw);
      await client.rest.admin.deleteWebhook(hook.id);
      expect((await client.rest.admin.webhooks()).map((w) => w.id)).not.toContain(hook.id);
    } finally {
      client.close();
    }
  });

  it('refuses what the contract does not name, and callers without the operator token', async () => {
    const bad = async (body: unknown) => s.request('POST', '/v1/admin/webhooks', { token: admin(), body });
    for (const body of [
      { url: 'http://127.0.0.1:9/x', events: ['gift.sent'] },
      { url: 'http://127.0.0.1:9/x', events: [] },
      { url: 'http://127.0.0.1:9/x', events: ['*', 'gift.settled'] },
      { url: 'ftp://127.0.0.1/x', events: ['*'] },
      { url: 'not a url', events: ['*'] },
    ]) {
      const res = await bad(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const anonymous = await s.request('POST', '/v1/admin/webhooks', {
      body: { url: 'http://127.0.0.1:9/x', events: ['*'] },
    });
    expect(anonymous.status).toBe(401);
    expect((await s.request('GET', '/v1/admin/webhooks')).status).toBe(401);
  });
});
