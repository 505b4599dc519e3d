import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../shared/logger';
import { connectSocket, testDeps } from '../../../shared/testing/harness';
import { createApp, type GiftwireApp } from '../../app';

/**
 * Issue #16, defect 2: the overlay key reached the logs (the overlay page sends it every 5 s). A real server logs
 * into a stream this test reads; no secret that a client sent, in a header, a query string or a body, may appear.
 */
describe('secrets never reach the log', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const deps = testDeps();
  const log = createLogger('info', 'test', sink);
  let giftwire: GiftwireApp;
  let url = '';

  beforeAll(async () => {
    giftwire = createApp({ ...deps, log });
    await new Promise<void>((resolve) => giftwire.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(giftwire.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await giftwire.close();
    await deps.close();
  });

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(url + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => {
      const text = await res.text();
      return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as any };
    });

  it('tokens, overlay keys, payment tokens and operator tokens stay out of every log line', async () => {
    const admin = deps.config.adminToken;
    const created = await call(
      'POST',
      '/v1/admin/users',
      { authorization: `Bearer ${admin}` },
      { displayName: 'Creator', birthDate: '1990-01-01', verified: true },
    );
    const token = created.body.token as string;
    const issued = await call('POST', '/v1/overlay-key', { authorization: `Bearer ${token}` });
    const overlayKey = issued.body.overlayKey as string;
    const paymentToken = `tok_secret_${randomUUID()}`;
    const webhookSecret = `whsec_${randomUUID()}`;

    expect((await call('GET', '/v1/overlay/stream', { 'x-overlay-key': overlayKey })).status).toBe(200);
    await call('GET', `/v1/overlay/stream?key=${overlayKey}&token=${token}`);
    await call('GET', `/v1/wallet?access_token=${token}`, { authorization: `Bearer ${token}` });
    await call('GET', `/overlay/live?token=${token}#key=${overlayKey}`);
    await call(
      'POST',
      '/v1/wallet/recharges',
      { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      { coins: 10, payment: { token: paymentToken } },
    );
    const socket = await connectSocket(url, { overlayKey });
    socket.disconnect();
    // What a feature might log on its own: the logger's paths catch secrets in bodies and nested objects.
    log.info({ body: { payment: { token: paymentToken } }, overlayKey, webhook: { secret: webhookSecret } }, 'x');
    log.info({ token, secret: webhookSecret, payment: { token: paymentToken } }, 'y');
    log.flush();

    const text = lines.join('');
    expect(text).toContain('/v1/overlay/stream'); // the requests were logged, so the check below means something
    expect(text).toContain('[Redacted]');
    for (const secret of [admin, token, overlayKey, paymentToken, webhookSecret]) expect(text).not.toContain(secret);
  });
});
