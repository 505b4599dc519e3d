import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import specs from '@asyncapi/specs';
import type { Browser } from 'playwright-core';
import { emitAck } from '../../../shared/testing/harness';
import { ROUTES, openApiPath } from '../../http/openapi/document';
import { CLIENT_EVENTS, SERVER_EVENTS } from '../../http/openapi/asyncapi';
import { artifactPath, collectPageErrors, launchBrowser } from '../support/browser';
import { startTestServer, type TestServer } from '../support/test-server';

describe('the Socket.io events are described as AsyncAPI 3, and /docs shows the whole API', () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await startTestServer();
    doc = (await server.request('GET', '/v1/asyncapi.json')).body;
  });
  afterAll(() => server.close());

  test('the document validates against the AsyncAPI 3.0.0 schema and names every event both ways', () => {
    // The published schema bundles the draft-07 meta-schema itself: Ajv must not add its own copy.
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, meta: false });
    addFormats(ajv);
    const validate = ajv.compile((specs as any).schemas['3.0.0']);
    expect({ valid: validate(doc), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });

    const byName = new Map<string, any>(Object.entries(doc.operations).map(([id, op]) => [id, op]));
    const names = Object.values(doc.channels.socket.messages).map((m: any) => m.name);
    for (const e of Object.keys(CLIENT_EVENTS)) {
      expect(names).toContain(e);
      const op = byName.get(e.replace(':', '_'));
      expect({ e, action: op.action, reply: Boolean(op.reply) }).toEqual({ e, action: 'receive', reply: true });
    }
    for (const e of Object.keys(SERVER_EVENTS)) {
      expect(names).toContain(e);
      expect(byName.get(e.replace(':', '_')).action).toBe('send');
    }
  });

  test('a real gift:send, its acknowledgement and the gifts frame match the documented schemas', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const schemaOf = (key: string) => ({
      ...doc.channels.socket.messages[key].payload,
      components: doc.components,
    });
    const creator = await server.createUser({ followers: 5000 });
    const viewer = await server.createUser();
    const { stream } = (await server.request('POST', '/v1/streams', { token: creator.token, body: { title: 't' } }))
      .body;
    await server.request('POST', '/v1/wallet/recharges', {
      token: viewer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 100, payment: { token: 'tok_ok' } },
    });
    const socket = await server.connect({ token: viewer.token });
    const joinAck = await emitAck(socket, 'stream:join', { streamId: stream.id });
    const frame = new Promise<unknown>((resolve) => socket.once('gifts', resolve));
    const payload = { streamId: stream.id, giftId: 'rose', count: 2, idempotencyKey: randomUUID() };
    expect(ajv.validate(schemaOf('gift_send'), payload)).toBe(true);
    const sendAck = await emitAck(socket, 'gift:send', payload);
    const refused = await emitAck(socket, 'gift:send', { ...payload, giftId: 'no-such-gift' });

    const cases: Array<[string, unknown]> = [
      ['stream_join_ack', joinAck],
      ['gift_send_ack', sendAck],
      ['gift_send_ack', refused],
      ['gifts', await frame],
    ];
    for (const [key, value] of cases) {
      const ok = ajv.validate(schemaOf(key), value);
      expect({ key, errors: ok ? null : ajv.errors }).toEqual({ key, errors: null });
    }
    expect(sendAck.ok).toBe(true);
    expect(refused.ok).toBe(false);
  });

  describe('in a real Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser.close());

    test('/docs lists every REST route and every event, with nothing fetched from another host', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.setDefaultTimeout(15_000);
      const errors = collectPageErrors(page);
      const elsewhere: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      page.on('request', (req) => {
        if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) elsewhere.push(req.url());
      });
      await page.goto(`${server.url}/docs`);
      await page
        .locator('.opblock')
        .nth(ROUTES.length - 1)
        .waitFor();
      const shown = await page.$$eval('.opblock', (blocks) =>
        blocks.map(
          (b) =>
            `${b.querySelector('.opblock-summary-method')?.textContent?.toLowerCase()} ` +
            `${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
      const expected = ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`);
      expect([...shown].sort()).toEqual([...expected].sort());
      const events = await page.$$eval('.event-name', (els) => els.map((e) => e.textContent));
      expect(events.sort()).toEqual([...Object.keys(CLIENT_EVENTS), ...Object.keys(SERVER_EVENTS)].sort());
      await page.screenshot({ path: artifactPath('api-docs.png') });
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
