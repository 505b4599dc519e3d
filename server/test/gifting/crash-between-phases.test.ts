import { randomUUID } from 'node:crypto';
import { finishGift, heldGiftOf } from '../../../shared/domain/gift-room';
import { settleGift } from '../../../shared/domain/settlement';
import { outboxEntries } from '../../../shared/runtime/sweeper';
import { walletRecord } from '../../../shared/domain/wallet';
import { connectSocket, emitAck, testDeps, waitFor } from '../../../shared/testing/harness';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startWorkers } from '../../../workers/start';
import { startTestServer, type TestServer } from '../support/test-server';
import { recharge } from './fixtures';

/**
 * A server process killed between a gift's two phases (GIFT_CRASH_AFTER_HOLD makes a real server process SIGKILL
 * itself right after the wallet phase): the coins are held, the gift recorded and in the outbox, and its room has
 * counted nothing. The sweeper finishes it exactly once: the room phase and the creator's boards, then settlement;
 * or, when the stream ended in between, the void that gives the coins back.
 */
describe('a process killed between the phases of a gift', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await killAllEntries();
    await s.close();
  });

  /** A fan's gift sent through a server process that dies after the wallet phase; returns what it left. */
  async function sendThroughDoomedServer(count: number) {
    const creator = await s.createUser();
    const fan = await s.createUser();
    await recharge(s.url, fan.token, 100);
    const streamId = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'doomed' } })).body
      .stream.id as string;
    const doomed = await startServerProcess({
      KEY_PREFIX: s.deps.keys.prefix,
      REDIS_URL: s.deps.config.redisUrl!,
      GIFT_CRASH_AFTER_HOLD: '1',
    });
    const socket = await connectSocket(doomed.url, { token: fan.token });
    const idempotencyKey = randomUUID();
    const answer = emitAck(socket, 'gift:send', { streamId, giftId: 'rose', count, idempotencyKey }, 10_000).then(
      () => 'answered',
      () => 'no answer',
    );
    expect(await doomed.exited).toBe('SIGKILL');
    expect(await answer).toBe('no answer');
    socket.disconnect();
    return { creator, fan, streamId, idempotencyKey };
  }

  const money = async (userId: string) => walletRecord(await s.deps.redis.hgetall(s.deps.keys.wallet(userId)));
  const room = (streamId: string) => s.deps.redis.hmget(s.deps.keys.stream(streamId), 'totalCoins', 'giftCount');

  it('the sweeper finishes the gift once: room, boards, settlement; a retry of the same key replays it', async () => {
    const { creator, fan, streamId, idempotencyKey } = await sendThroughDoomedServer(7);
    // what the dead process left: held coins, a held gift in the outbox, a room that counted nothing
    expect(await money(fan.user.id)).toMatchObject({ coins: 93, held: 7, spent: 0 });
    const [giftEventId] = await outboxEntries(s.deps);
    expect(await s.deps.redis.hget(s.deps.keys.gift(giftEventId!), 'status')).toBe('held');
    expect(await room(streamId)).toEqual(['0', '0']);

    const workerDeps = testDeps({ keyPrefix: s.deps.keys.prefix, settleStaleMs: 300, sweepEveryMs: 200 });
    const workers = await startWorkers(workerDeps);
    try {
      await waitFor(
        () => s.deps.redis.hget(s.deps.keys.gift(giftEventId!), 'status'),
        (status) => status === 'settled',
      );
    } finally {
      await workers.close();
      await workerDeps.close();
    }
    expect(await room(streamId)).toEqual(['7', '1']);
    expect(await money(fan.user.id)).toMatchObject({ coins: 93, held: 0, spent: 7, purchased: 100 });
    expect(await money(creator.user.id)).toMatchObject({ received: 7, diamonds: 3 });
    const board = await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=day`);
    expect(board.body.items).toEqual([{ rank: 1, userId: fan.user.id, displayName: fan.user.displayName, coins: 7 }]);

    // once more, by every path that could count it again: nothing moves
    const again = heldGiftOf(await s.deps.redis.hgetall(s.deps.keys.gift(giftEventId!)))!;
    await finishGift(s.deps, again);
    expect(await settleGift(s.deps, giftEventId!, { finish: true })).toMatchObject({ outcome: 'already-settled' });
    const socket = await s.connect({ token: fan.token });
    const replay = await emitAck(socket, 'gift:send', { streamId, giftId: 'rose', count: 7, idempotencyKey });
    expect(replay).toMatchObject({ ok: true, gift: { id: giftEventId, totalCoins: 7, combo: 7 } });
    expect(await room(streamId)).toEqual(['7', '1']);
    expect(await money(fan.user.id)).toMatchObject({ coins: 93, held: 0, spent: 7 });
    expect(await money(creator.user.id)).toMatchObject({ received: 7, diamonds: 3 });
    expect(await outboxEntries(s.deps)).toEqual([]);
  });

  it('when the stream ended before the sweeper came, the gift is voided: the coins go back, nothing is counted', async () => {
    const { creator, fan, streamId } = await sendThroughDoomedServer(5);
    const [giftEventId] = await outboxEntries(s.deps);
    await s.request('POST', `/v1/streams/${streamId}/end`, { token: creator.token });
    const workerDeps = testDeps({ keyPrefix: s.deps.keys.prefix, settleStaleMs: 300, sweepEveryMs: 200 });
    const workers = await startWorkers(workerDeps);
    try {
      await waitFor(
        () => s.deps.redis.hget(s.deps.keys.gift(giftEventId!), 'status'),
        (status) => status === 'voided',
      );
    } finally {
      await workers.close();
      await workerDeps.close();
    }
    expect(await money(fan.user.id)).toMatchObject({ coins: 100, held: 0, spent: 0, spentToday: 0 });
    expect(await money(creator.user.id)).toMatchObject({ received: 0, diamonds: 0 });
    expect(await room(streamId)).toEqual(['0', '0']);
    expect(await outboxEntries(s.deps)).toEqual([]);
  });
});
