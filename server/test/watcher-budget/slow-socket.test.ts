import { waitFor } from '../../../shared/testing/harness';
import { sample } from '../operations/prometheus-text';
import { fan, liveStream } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  acceptedGifts,
  coinsShown,
  connectPolling,
  itemsOf,
  offerGifts,
  recordTimedFrames,
  stopPolling,
} from './fixtures';

const MAX_BYTES = 64 * 1024;
const GRACE_MS = 1500;

/**
 * An overlay whose browser froze stops reading its connection in the middle of a gift war (it is on long-polling
 * and polls no more). What the server would send it piles up in the server; once more than SOCKET_MAX_BUFFER_BYTES
 * has waited for SOCKET_SLOW_GRACE_MS the server drops it and counts it, and everyone else carries on. (On a
 * WebSocket the kernel's buffers fill first, several megabytes on loopback, and then the same happens.)
 */
describe('a socket that stops reading is disconnected after the grace period; the others carry on', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      giftRatePerSec: 10_000,
      giftBurst: 10_000,
      socketMaxBufferBytes: MAX_BYTES,
      socketSlowGraceMs: GRACE_MS,
    });
  });
  afterAll(() => s.close());

  it('the frozen overlay is dropped once its unsent bytes stayed past the bound for the grace period', async () => {
    const { creator, streamId } = await liveStream(s, 'frozen overlay');
    const creatorFrames = await recordTimedFrames(await s.connect({ token: creator.token }), streamId);
    const watcherFrames = await recordTimedFrames(await s.connect(), streamId);
    const overlayKey = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    const frozen = await connectPolling(s.url, { overlayKey });
    await recordTimedFrames(frozen, streamId);
    const onServer = s.giftwire.io.of('/').sockets.get(frozen.id!)!;
    // long names make heavy frames: the overlay gets every gift unfolded
    const senders = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fan(s, 10_000, { displayName: `A rather long display name ${i}` })),
    );

    let droppedAt: number | null = null;
    let reason = '';
    onServer.once('disconnect', (r) => {
      droppedAt = performance.now();
      reason = r;
    });
    // the server's own record of the drop (a busy test process may look at the buffers late; the server does not)
    const warnings = jest.spyOn(s.deps.log, 'warn');

    await stopPolling(frozen);
    try {
      // a gift war until the server has dropped the frozen overlay (at most 20 s)
      const acks = [];
      for (let round = 0; round < 40 && droppedAt === null; round++) {
        acks.push(
          ...(await offerGifts(
            senders.map((f) => f.socket),
            streamId,
            300,
            500,
          )),
        );
      }
      const gifts = acceptedGifts(acks);
      expect(droppedAt).not.toBeNull();
      const drop = warnings.mock.calls
        .map(([fields]) => fields as unknown as { socketId?: string; unsentBytes: number; overForMs: number })
        .find((fields) => fields.socketId === onServer.id)!;
      expect(drop).toMatchObject({ reason: 'slow consumer' });
      expect(drop.unsentBytes).toBeGreaterThan(MAX_BYTES);
      // past the bound for the grace period, first seen by a check (every grace/5 ms) and dropped by a later one:
      // not before the grace period, nor much after (a starved event loop on this shared machine runs checks late)
      expect(drop.overForMs).toBeGreaterThanOrEqual(GRACE_MS);
      expect(drop.overForMs).toBeLessThanOrEqual(GRACE_MS + GRACE_MS / 5 + 1000);
      expect(reason).toBe('forced close');

      // the creator and the watcher carried on: every gift, every coin, and gifts after the drop still arrive
      const later = acceptedGifts(await offerGifts([senders[0]!.socket], streamId, 20, 500));
      const coins = [...gifts, ...later].reduce((n, g) => n + g.totalCoins, 0);
      await waitFor(
        () => itemsOf(creatorFrames).length,
        (n) => n >= gifts.length + later.length,
        20_000,
      );
      expect(itemsOf(creatorFrames)).toHaveLength(gifts.length + later.length);
      await waitFor(
        () => coinsShown(watcherFrames),
        (n) => n >= coins,
        20_000,
      );
      expect(coinsShown(watcherFrames)).toBe(coins);

      const metrics = await s.request('GET', '/metrics', { token: s.deps.config.adminToken });
      expect(sample(metrics.body as string, 'giftwire_slow_sockets_disconnected_total')).toBe(1);
    } finally {
      warnings.mockRestore();
      frozen.disconnect();
    }
  }, 90_000);
});
