import { randomUUID } from 'node:crypto';
import { emitAck, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, itemsOf, liveStream, recordFrames, send } from './fixtures';

describe('a fan sends gifts and everyone watching sees them', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('on a low-rate stream a watcher receives every gift as its own item, with the right fields and combo', async () => {
    const { streamId } = await liveStream(s);
    const frames = await recordFrames(await s.connect(), streamId);
    const ann = await fan(s, 1000, { displayName: 'Ann' });
    const plan: Array<[string, number, number]> = [
      ['rose', 1, 1],
      ['rose', 2, 3], // the streak counts units: 1 + 2
      ['perfume', 1, 1], // another gift has its own streak
      ['rose', 1, 4],
    ];
    let coins = 1000;
    for (const [giftId, count, combo] of plan) {
      const before = frames.length;
      const ack = await send(ann.socket, streamId, giftId, count);
      if (!ack.ok) throw new Error(JSON.stringify(ack));
      const price = giftId === 'rose' ? 1 : 20;
      coins -= price * count;
      expect(ack.gift).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        streamId,
        sender: { id: ann.user.id, displayName: 'Ann' },
        giftId,
        giftName: giftId === 'rose' ? 'Rose' : 'Perfume',
        coins: price,
        count,
        totalCoins: price * count,
        combo,
        at: expect.any(Number),
      });
      expect(Math.abs(ack.gift.at - Date.now())).toBeLessThan(60_000);
      expect(ack.wallet).toEqual({ coins, heldCoins: 1000 - coins });
      await waitFor(
        () => frames.length,
        (n) => n === before + 1,
      );
      expect(frames[before]).toEqual({ streamId, items: [ack.gift] });
    }
    const stream = await s.request('GET', `/v1/streams/${streamId}`);
    expect(stream.body.totalCoins).toBe(1000 - coins);
  });

  it('a repeat of the same key returns the same gift and moves nothing; another gift with that key is IDEMPOTENCY_CONFLICT', async () => {
    const { streamId } = await liveStream(s);
    const frames = await recordFrames(await s.connect(), streamId);
    const bob = await fan(s, 10);
    const key = randomUUID();
    const first = await send(bob.socket, streamId, 'rose', 3, key);
    const again = await send(bob.socket, streamId, 'rose', 3, key);
    expect(again).toEqual(first);
    const conflict = await send(bob.socket, streamId, 'rose', 2, key);
    expect(conflict).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    await waitFor(
      () => frames.length,
      (n) => n >= 1,
    );
    expect(itemsOf(frames)).toHaveLength(1);
    expect((await s.request('GET', `/v1/streams/${streamId}`)).body.totalCoins).toBe(3);
    // the key is scoped per user: another fan may use it
    const cat = await fan(s, 10);
    expect(await send(cat.socket, streamId, 'rose', 1, key)).toMatchObject({ ok: true });
  });

  it('unknown fields are ignored: the price comes from the catalog and the sender from the token', async () => {
    const { streamId } = await liveStream(s);
    const dan = await fan(s, 5);
    const eve = await s.createUser();
    const ack = await emitAck(dan.socket, 'gift:send', {
      streamId,
      giftId: 'rose',
      idempotencyKey: randomUUID(),
      coins: 0,
      totalCoins: 0,
      senderId: eve.user.id,
      sender: { id: eve.user.id },
    });
    expect(ack).toMatchObject({
      ok: true,
      gift: { coins: 1, count: 1, totalCoins: 1, sender: { id: dan.user.id } },
      wallet: { coins: 4, heldCoins: 1 },
    });
  });

  it('sending does not require having joined the room', async () => {
    const { streamId } = await liveStream(s);
    const fay = await fan(s, 1);
    expect(await send(fay.socket, streamId, 'rose')).toMatchObject({ ok: true });
  });
});

describe('a streak ends when the gap between sends is too long', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ streakGapMs: 200 });
  });
  afterAll(() => s.close());

  it('combo restarts at the count of the first send after the gap', async () => {
    const { streamId } = await liveStream(s);
    const gus = await fan(s, 100);
    const first = await send(gus.socket, streamId, 'rose', 2);
    if (!first.ok) throw new Error(JSON.stringify(first));
    await waitFor(
      () => Date.now(),
      (now) => now > first.gift.at + 400,
    );
    expect(await send(gus.socket, streamId, 'rose', 5)).toMatchObject({ ok: true, gift: { combo: 5 } });
  });
});
