import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue #16, defects 7 and 8: a REST body means one thing only. Duplicate keys (which value wins depends on the
 * parser) and numbers written with a fraction or an exponent (`1e3` is 1000 to JSON.parse, a float to others) are
 * VALIDATION_FAILED, and nothing moves.
 */
describe('JSON bodies with two readings are refused', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer();
    token = (await s.createUser()).token;
  });
  afterAll(() => s.close());

  const recharge = (raw: string) =>
    s.request('POST', '/v1/wallet/recharges', { token, headers: { 'idempotency-key': randomUUID() }, body: raw });
  const coins = async () => (await s.request('GET', '/v1/wallet', { token })).body.coins as number;

  it.each([
    ['a duplicate key', '{"packageId":"a","packageId":"coins-70","payment":{"token":"tok_ok"}}'],
    ['a duplicate key in a nested object', '{"coins":5,"payment":{"token":"tok_declined","token":"tok_ok"}}'],
    ['a duplicate key spelled with an escape', '{"coins":5,"co\\u0069ns":6,"payment":{"token":"tok_ok"}}'],
    ['an amount in exponent notation', '{"coins":1e3,"payment":{"token":"tok_ok"}}'],
    ['an amount with a capital exponent', '{"coins":1E2,"payment":{"token":"tok_ok"}}'],
    ['an amount with a zero fraction', '{"coins":100.0,"payment":{"token":"tok_ok"}}'],
    ['an amount with a negative exponent', '{"coins":10000e-2,"payment":{"token":"tok_ok"}}'],
    ['nesting 40 levels deep', `{"coins":5,"payment":{"token":"tok_ok"},"x":${'['.repeat(40)}${']'.repeat(40)}}`],
  ])('%s is VALIDATION_FAILED and credits nothing', async (_what, raw) => {
    const before = await coins();
    const res = await recharge(raw);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await coins()).toBe(before);
  });

  it('the refusal names the field, like a schema refusal', async () => {
    const res = await recharge('{"coins":5,"payment":{"token":"tok_ok","token":"tok_ok"}}');
    expect(res.body.error.message).toMatch(/^payment\.token: duplicate key/);
    expect(res.body.error.details.issues[0].field).toBe('payment.token');
    expect((await recharge('{"coins":1e3,"payment":{"token":"tok_ok"}}')).body.error.message).toMatch(/^coins: /);
  });

  it('the same keys in different objects, and plain integers, are fine', async () => {
    const before = await coins();
    const res = await recharge('{"coins":1000,"payment":{"token":"tok_ok"}}');
    expect(res.status).toBe(201);
    expect(await coins()).toBe(before + 1000);
    const strings = await s.request('POST', '/v1/streams', {
      token,
      body: '{"title":"1e3 \\"coins\\":1 {\\"a\\":1,\\"a\\":2}"}',
    });
    expect(strings.status).toBe(201);
  });
});
