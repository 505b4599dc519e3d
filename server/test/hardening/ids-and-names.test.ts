import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';

/**
 * Issue #16, defects 3 and 4: an id means the same thing in any letter case, and a display name cannot carry
 * control or bidirectional-override characters (impersonation on leaderboards).
 */
describe('ids are canonical and display names are clean', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('the upper-case form of a used gift idempotency key is the same key: the gift is not charged again', async () => {
    const { streamId } = await liveStream(s);
    const ann = await fan(s, 100);
    const key = randomUUID();
    const first = await send(ann.socket, streamId, 'rose', 2, key);
    const again = await send(ann.socket, streamId, 'rose', 2, key.toUpperCase());
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.gift.id).toBe(first.gift.id);
    expect(again.wallet).toEqual({ coins: 98, heldCoins: 2 });
    const other = await send(ann.socket, streamId, 'rose', 3, key.toUpperCase());
    expect(other).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    const wallet = await s.request('GET', '/v1/wallet', { token: ann.token });
    expect(wallet.body).toMatchObject({ coins: 98, heldCoins: 2 });
  });

  it('an upper-case stream id finds the stream, over REST and over Socket.io', async () => {
    const { streamId } = await liveStream(s);
    const upper = streamId.toUpperCase();
    const rest = await s.request('GET', `/v1/streams/${upper}`);
    expect(rest.status).toBe(200);
    expect(rest.body.stream.id).toBe(streamId);
    const board = await s.request('GET', `/v1/streams/${upper}/leaderboard`);
    expect(board.status).toBe(200);
    const ann = await fan(s, 10);
    const ack = await send(ann.socket, upper, 'rose', 1);
    expect(ack).toMatchObject({ ok: true, gift: { streamId } });
  });

  it.each([
    ['a NUL character', 'Ann\u0000'],
    ['a right-to-left override', 'Ann\u202Eevil'],
    ['a left-to-right isolate', '\u2066Ann'],
    ['a pop directional isolate', 'Ann\u2069'],
    ['an embedding', '\u202AAnn'],
    ['a line feed inside', 'An\nn'],
    ['a DEL', 'Ann\u007F'],
    ['a C1 control', 'Ann\u0085x'],
    ['only spaces', '   '],
    ['41 characters after trimming', ` ${'a'.repeat(41)} `],
  ])('a display name with %s is VALIDATION_FAILED on every route that takes one', async (_what, displayName) => {
    const admin = await s.request('POST', '/v1/admin/users', {
      token: s.deps.config.adminToken,
      body: { displayName, birthDate: '1990-01-01' },
    });
    expect(admin.status).toBe(400);
    expect(admin.body.error.code).toBe('VALIDATION_FAILED');
    const dev = await s.request('POST', '/v1/dev/login', { body: { displayName } });
    expect(dev.status).toBe(400);
    expect(dev.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a display name of 40 characters (emoji counted as one each) is kept, trimmed', async () => {
    const name = `${'😀'.repeat(20)}${'b'.repeat(20)}`;
    const dev = await s.request('POST', '/v1/dev/login', { body: { displayName: `  ${name}  ` } });
    expect(dev.status).toBe(200);
    expect(dev.body.user.displayName).toBe(name);
  });
});
