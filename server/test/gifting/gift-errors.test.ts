import { randomUUID } from 'node:crypto';
import { signUserToken } from '../../../shared/domain/auth';
import { moneySnapshot } from '../wallet/fixtures';
import { emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fundViewer } from '../../../shared/testing/money';
import { fan, liveStream, send, type Person } from './fixtures';

describe('every rejection of a gift has its code and moves nothing', () => {
  let s: TestServer;
  let streamId: string;
  let creator: Person;
  let rich: Person & { socket: TestSocket };

  beforeAll(async () => {
    s = await startTestServer();
    ({ streamId, creator } = await liveStream(s));
    rich = await fan(s, 100_000);
    // one accepted gift, so that the snapshots below have something to keep
    expect(await send(rich.socket, streamId, 'rose')).toMatchObject({ ok: true });
  });
  afterAll(() => s.close());

  async function expectRejected(socket: TestSocket, payload: unknown, code: string, userIds: string[], sid = streamId) {
    const before = await moneySnapshot(s.deps, userIds, sid);
    const ack = await emitAck(socket, 'gift:send', payload);
    expect(ack).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    expect(await moneySnapshot(s.deps, userIds, sid)).toEqual(before);
  }
  const good = () => ({ streamId, giftId: 'rose', count: 1, idempotencyKey: randomUUID() });

  it.each([
    ['a malformed stream id', { streamId: 'abc' }],
    ['a count of 0', { count: 0 }],
    ['a count of 100', { count: 100 }],
    ['a fractional count', { count: 1.5 }],
    ['a gift id that is not a slug', { giftId: 'Rose!' }],
    ['a missing idempotency key', { idempotencyKey: undefined }],
    ['an idempotency key that is not a uuid', { idempotencyKey: 'key-1' }],
    ['a payload far larger than a gift needs', { padding: 'x'.repeat(4000) }],
    // 600 characters, 1,200 bytes of UTF-8: the cap counts bytes
    ['a payload under the cap in characters but over it in bytes', { padding: 'é'.repeat(600) }],
  ])('%s is VALIDATION_FAILED', async (_what, change) => {
    await expectRejected(rich.socket, { ...good(), ...change }, 'VALIDATION_FAILED', [rich.user.id]);
  });

  it('an anonymous watcher cannot send (UNAUTHORIZED)', async () => {
    await expectRejected(await s.connect(), good(), 'UNAUTHORIZED', []);
  });

  it('an overlay cannot send (UNAUTHORIZED)', async () => {
    const key = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    await expectRejected(await s.connect({ overlayKey: key }), good(), 'UNAUTHORIZED', [creator.user.id]);
  });

  it('a socket whose token expired after connecting cannot spend (UNAUTHORIZED); validation still comes first', async () => {
    const late = await fan(s, 100);
    const token = await signUserToken(s.deps.config, late.user.id, 1);
    const socket = await s.connect({ token });
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    await waitFor(
      () => Date.now(),
      (now) => now > exp + 50,
      5000,
    );
    await expectRejected(socket, { ...good(), count: 0 }, 'VALIDATION_FAILED', [late.user.id]);
    await expectRejected(socket, good(), 'UNAUTHORIZED', [late.user.id]);
  });

  it('a minor cannot send (AGE_RESTRICTED)', async () => {
    const minor = await fan(s, 0, { birthDate: `${new Date().getUTCFullYear() - 16}-01-01` });
    await expectRejected(minor.socket, good(), 'AGE_RESTRICTED', [minor.user.id]);
  });

  it('an unknown stream or gift is NOT_FOUND', async () => {
    await expectRejected(rich.socket, { ...good(), streamId: randomUUID() }, 'NOT_FOUND', [rich.user.id]);
    await expectRejected(rich.socket, { ...good(), giftId: 'no-such-gift' }, 'NOT_FOUND', [rich.user.id]);
  });

  it('a creator cannot gift their own stream (SELF_GIFT)', async () => {
    await creditCoinsFor(creator, 100);
    const socket = await s.connect({ token: creator.token });
    await expectRejected(socket, good(), 'SELF_GIFT', [creator.user.id]);
  });

  it('an ended stream takes no gifts (STREAM_NOT_LIVE)', async () => {
    const other = await liveStream(s);
    await s.request('POST', `/v1/streams/${other.streamId}/end`, { token: other.creator.token });
    await expectRejected(
      rich.socket,
      { ...good(), streamId: other.streamId },
      'STREAM_NOT_LIVE',
      [rich.user.id],
      other.streamId,
    );
  });

  it('the same key with another gift is IDEMPOTENCY_CONFLICT', async () => {
    const key = randomUUID();
    expect(await send(rich.socket, streamId, 'rose', 1, key)).toMatchObject({ ok: true });
    await expectRejected(rich.socket, { ...good(), giftId: 'perfume', idempotencyKey: key }, 'IDEMPOTENCY_CONFLICT', [
      rich.user.id,
    ]);
  });

  it('too few coins is INSUFFICIENT_FUNDS, and the key stays free for a later success', async () => {
    const poor = await fan(s, 2699 - 1);
    const payload = { ...good(), giftId: 'luxury-car' };
    await expectRejected(poor.socket, payload, 'INSUFFICIENT_FUNDS', [poor.user.id]);
    await creditCoinsFor(poor, 1);
    expect(await emitAck(poor.socket, 'gift:send', payload)).toMatchObject({
      ok: true,
      wallet: { coins: 0, heldCoins: 2699 },
    });
  });

  it('passing the daily limit is SPEND_LIMIT_EXCEEDED', async () => {
    const careful = await fan(s, 1000);
    await s.request('PATCH', `/v1/admin/users/${careful.user.id}`, {
      token: s.deps.config.adminToken,
      body: { dailySpendLimitCoins: 50 },
    });
    expect(await send(careful.socket, streamId, 'perfume', 2)).toMatchObject({ ok: true });
    await expectRejected(careful.socket, { ...good(), giftId: 'doughnut' }, 'SPEND_LIMIT_EXCEEDED', [careful.user.id]);
  });

  const creditCoinsFor = (p: Person, coins: number) => fundViewer(s.deps, p.user, coins);
});

describe('a fan who sends too fast is RATE_LIMITED, and only when nothing else is wrong', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ giftRatePerSec: 2, giftBurst: 5 });
  });
  afterAll(() => s.close());

  it('a burst past the allowance is refused with RATE_LIMITED and moves nothing; other errors win over it', async () => {
    const { streamId } = await liveStream(s);
    const fast = await fan(s, 1000);
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const started = Date.now();
    const acks = await Promise.all(keys.map((key) => send(fast.socket, streamId, 'rose', 1, key)));
    const windows = Math.ceil((Date.now() - started) / 1000);
    const ok = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(ok + limited).toBe(12);
    // the burst allowance (5) always; 2 more for each further 1-second window the burst straddled
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(5 + 2 * windows);
    expect(limited).toBeGreaterThan(0);
    const wallet = await s.deps.redis.hmget(s.deps.keys.wallet(fast.user.id), 'coins', 'held');
    expect(wallet.map(Number)).toEqual([1000 - ok, ok]);
    // still limited: a gift to an unknown stream is NOT_FOUND, not RATE_LIMITED
    expect(await send(fast.socket, randomUUID(), 'rose')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // a repeat of an accepted gift is still answered with the same gift, however fast
    const i = acks.findIndex((a) => a.ok);
    expect(await send(fast.socket, streamId, 'rose', 1, keys[i])).toEqual(acks[i]);
  });
});
