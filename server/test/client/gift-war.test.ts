import { createGiftwireClient, ApiError, type Battle, type GiftwireClient } from '../../../shared/client';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * An app built on the typed client, against a real server: an operator sets up two creators and their fans, the
 * creators go live and start a gift war, fans buy coins and send gifts (a burst past the rate limit is retried by
 * the client with the same idempotency keys), a watcher follows the war, and a forfeit ends it.
 */
describe('the typed client drives a gift war', () => {
  let server: TestServer;
  const clients: GiftwireClient[] = [];
  const client = (token?: string, attempts = 4) => {
    const c = createGiftwireClient({ baseUrl: server.url, token, retry: { attempts, baseDelayMs: 150 } });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestServer({ battlePushMs: 50, giftBurst: 30, giftRatePerSec: 20 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  test('two creators, their fans, a watcher: every call typed, every retry with the same key', async () => {
    const operator = client(server.deps.config.adminToken);
    const person = (displayName: string, followers = 0) =>
      operator.rest.admin.createUser({ displayName, birthDate: '1990-02-02', verified: followers > 0, followers });
    const [ava, ben, fan1, fan2] = await Promise.all([
      person('Ava', 5000),
      person('Ben', 5000),
      person('Fan One'),
      person('Fan Two'),
    ]);
    const a = client(ava.token);
    const b = client(ben.token);
    const streamA = await a.rest.startStream('Ava live');
    const streamB = await b.rest.startStream('Ben live');
    const pending = await a.rest.createBattle({ streamId: streamA.id, opponentStreamId: streamB.id, durationSec: 300 });
    expect(pending.status).toBe('pending');

    const watcher = client();
    await watcher.realtime.connect();
    const updates: Battle[] = [];
    const ended = new Promise<Battle>((resolve) =>
      watcher.realtime.on('battle:ended', ({ battle }) => resolve(battle)),
    );
    watcher.realtime.on('battle:update', ({ battle }) => updates.push(battle));
    const joinA = await watcher.realtime.join(streamA.id);
    expect(joinA.battle?.id).toBe(pending.id);
    await watcher.realtime.join(streamB.id);
    expect((await b.rest.acceptBattle(pending.id)).status).toBe('active');

    // Fans buy coins; a repeat with the same key is the same recharge and credits nothing more.
    const one = client(fan1.token, 10);
    const two = client(fan2.token);
    const first = await one.rest.recharge(
      { coins: 20_000, payment: { token: 'tok_ok' } },
      { idempotencyKey: 'fan1-r1' },
    );
    const again = await one.rest.recharge(
      { coins: 20_000, payment: { token: 'tok_ok' } },
      { idempotencyKey: 'fan1-r1' },
    );
    expect(again.recharge.id).toBe(first.recharge.id);
    await two.rest.recharge({ packageId: 'coins-5000', payment: { token: 'tok_ok' } });
    expect((await one.rest.wallet()).coins).toBe(20_000);
    const declined = await two.rest
      .recharge({ coins: 10, payment: { token: 'tok_declined' } })
      .catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(ApiError);
    expect((declined as ApiError).code).toBe('PAYMENT_DECLINED');

    await Promise.all([one.realtime.connect(), two.realtime.connect()]);
    const sent = new Map<string, number>();
    one.realtime.socket.onAnyOutgoing((event, payload: { idempotencyKey?: string }) => {
      if (event === 'gift:send') sent.set(payload.idempotencyKey!, (sent.get(payload.idempotencyKey!) ?? 0) + 1);
    });

    // Fan One: 50 roses to Ava at once, past a burst of 30: the refused ones are retried until accepted.
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => one.realtime.sendGift({ streamId: streamA.id, giftId: 'rose' })),
    );
    expect(new Set(burst.map((r) => r.gift.id)).size).toBe(50);
    expect(sent.size).toBe(50);
    expect([...sent.values()].some((n) => n > 1)).toBe(true); // some were retried, each with its own key
    // Fan Two: one big gift to Ben.
    const car = await two.realtime.sendGift({ streamId: streamB.id, giftId: 'luxury-car' });
    expect(car.gift.totalCoins).toBe(2699);
    const wallet = await one.rest.wallet();
    expect(wallet.coins).toBe(20_000 - 50);

    const latest = await waitFor(
      async () => updates[updates.length - 1],
      (u) => u?.sides[0].score === 50 && u.sides[1].score === 2699,
      5000,
    );
    expect(latest?.sides[1].mvp?.displayName).toBe('Fan Two');

    // Ava's side is ahead on nothing: Ben ends his stream and forfeits, so Ava wins.
    await b.rest.endStream(streamB.id);
    const result = await ended;
    expect(result.status).toBe('ended');
    expect(result.winnerStreamId).toBe(streamA.id);
    expect((await watcher.rest.battle(pending.id)).status).toBe('ended');
    const board = (await watcher.rest.streamLeaderboard(streamA.id)).items;
    expect(board[0]).toMatchObject({ rank: 1, displayName: 'Fan One', coins: 50 });

    const refused = await two.realtime
      .sendGift({ streamId: streamB.id, giftId: 'rose' })
      .catch((e: unknown) => e as ApiError);
    expect(refused).toMatchObject({ code: 'STREAM_NOT_LIVE' });
  });
});
