import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';
import { waitFor } from '../../shared/testing/harness';
import { Meter } from '../agent/meter';
import { Senders } from '../agent/senders';

/**
 * The senders' clock against a stand-in Socket.IO endpoint that answers gift:send the way the contract says
 * (the real Giftwire is exercised end to end by simulator.test.ts): what matters here is what the client sends.
 */
describe('senders keep to the clock', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const received: Array<{ idempotencyKey: string; giftId: string; streamId: string }> = [];
  let dropFirstAnswer = false;
  let dropConnection = false;
  const answered = new Map<string, string>();

  beforeAll(async () => {
    http = createServer();
    io = new Server(http);
    io.on('connection', (socket) => {
      socket.on(
        'gift:send',
        (payload: { idempotencyKey: string; giftId: string; streamId: string }, ack: (r: unknown) => void) => {
          received.push(payload);
          const repeat = answered.get(payload.idempotencyKey);
          const id = repeat ?? randomUUID();
          answered.set(payload.idempotencyKey, id);
          if (dropFirstAnswer && !repeat) return; // the acknowledgement is lost on the way
          if (dropConnection && !repeat) {
            socket.disconnect(true); // the connection drops before the answer
            return;
          }
          ack({
            ok: true,
            gift: { id, streamId: payload.streamId, totalCoins: 1, at: Date.now() },
            wallet: { coins: 0, heldCoins: 0 },
          });
        },
      );
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => io.close(r));
  });
  beforeEach(() => {
    received.length = 0;
    answered.clear();
    dropFirstAnswer = false;
    dropConnection = false;
  });

  const spec = (i: number) => ({ index: i, userId: `u${i}`, token: `t${i}`, streamId: 's1' });

  it('when the event loop stalls, every gift that fell due is still sent (late, and counted as late)', async () => {
    const meter = new Meter();
    const senders = new Senders(
      url,
      [spec(0), spec(1)],
      { rate: 400, rampUpSec: 0, durationSec: 1 },
      [{ giftId: 'rose', weight: 1 }],
      1,
      20,
      meter,
    );
    await senders.connectAll();
    const t0 = Date.now();
    meter.start(t0);
    senders.start(t0);
    const stallUntil = Date.now() + 300;
    while (Date.now() < stallUntil) {
      /* a stalled event loop: nothing can be sent meanwhile */
    }
    await waitFor(
      () => received.length,
      (n) => n >= 400,
      5000,
    );
    expect(await senders.stop(2000)).toBe(0);
    await senders.retryUnanswered(2000);
    expect(received).toHaveLength(400);
    expect(new Set(received.map((r) => r.idempotencyKey)).size).toBe(400);
    const intervals = meter.drain({ watchersConnected: 0, sendersConnected: 2, pendingAcks: 0 }, true);
    expect(intervals.reduce((n, iv) => n + iv.sent, 0)).toBe(400);
    expect(intervals.reduce((n, iv) => n + iv.acceptedCount, 0)).toBe(400);
    expect(intervals.reduce((n, iv) => n + iv.late, 0)).toBeGreaterThanOrEqual(100); // those due in the stall's last 250 ms
    expect(Math.max(...intervals.map((iv) => iv.maxLateMs))).toBeGreaterThanOrEqual(250);
    const final = senders.final();
    expect(final.acked.ids).toHaveLength(400);
    expect(final.unacked).toBe(0);
    expect(final.answeredOnRepeat).toBe(0);
    expect([...final.acked.senderIndex].filter((i) => i === 0)).toHaveLength(200); // round-robin over senders
    senders.closeAll();
  });

  it('a gift whose acknowledgement was lost is asked again with the same key, and counted once', async () => {
    dropFirstAnswer = true;
    const meter = new Meter();
    const senders = new Senders(
      url,
      [spec(0)],
      { rate: 20, rampUpSec: 0, durationSec: 0.5 },
      [{ giftId: 'rose', weight: 1 }],
      1,
      20,
      meter,
    );
    await senders.connectAll();
    senders.start(Date.now());
    await waitFor(
      () => received.length,
      (n) => n >= 10,
      5000,
    );
    expect(await senders.stop(300)).toBe(10); // no answer came
    await senders.retryUnanswered(300);
    const final = senders.final();
    expect(final.unacked).toBe(0);
    expect(final.answeredOnRepeat).toBe(10);
    expect(final.acked.ids).toHaveLength(10);
    expect(new Set(final.acked.ids)).toEqual(new Set(answered.values()));
    expect(received).toHaveLength(20); // each gift twice: the lost first answer, then the repeat
    senders.closeAll();
  });

  it('when the connection dropped before the answer, the repeat goes out on a fresh connection', async () => {
    dropConnection = true;
    const meter = new Meter();
    const senders = new Senders(
      url,
      [spec(0)],
      { rate: 10, rampUpSec: 0, durationSec: 0.1 },
      [{ giftId: 'rose', weight: 1 }],
      1,
      20,
      meter,
    );
    await senders.connectAll();
    senders.start(Date.now());
    await waitFor(
      () => received.length,
      (n) => n >= 1,
      5000,
    );
    expect(await senders.stop(300)).toBe(1);
    await senders.retryUnanswered(1000);
    const final = senders.final();
    expect(final).toMatchObject({ unacked: 0, answeredOnRepeat: 1 });
    expect(final.acked.ids).toEqual([...answered.values()]);
    expect(received).toHaveLength(2);
    senders.closeAll();
  });
});
