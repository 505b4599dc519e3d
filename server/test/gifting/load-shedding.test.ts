import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from './fixtures';

describe('an overloaded server sheds gifts instead of queueing them without bound', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ giftMaxInFlight: 2, giftRatePerSec: 1000, giftBurst: 1000 });
  });
  afterAll(() => s.close());

  it('when more gifts arrive at once than a process works on, the extra ones are RATE_LIMITED and move nothing', async () => {
    const { streamId } = await liveStream(s);
    const viewer = await fan(s, 1000);
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const acks = await Promise.all(keys.map((k) => send(viewer.socket, streamId, 'rose', 1, k)));
    const ok = acks.filter((a) => a.ok).length;
    const shed = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(ok + shed).toBe(40);
    expect(shed).toBeGreaterThan(0);
    const wallet = (await s.request('GET', '/v1/wallet', { token: viewer.token })).body;
    expect(wallet.coins + wallet.heldCoins).toBe(1000);
    expect(wallet.heldCoins).toBe(ok);

    // a shed gift binds nothing: retried with its key once the burst is over (one at a time), it is accepted
    for (const [i, key] of keys.entries()) {
      if (!acks[i]!.ok) expect(await send(viewer.socket, streamId, 'rose', 1, key)).toMatchObject({ ok: true });
    }
    const after = (await s.request('GET', '/v1/wallet', { token: viewer.token })).body;
    expect(after.heldCoins).toBe(40);
    expect(after.coins).toBe(960);
  });
});
