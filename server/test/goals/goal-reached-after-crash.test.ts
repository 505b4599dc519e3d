import { randomUUID } from 'node:crypto';
import type { Goal, StreakEnded } from '../../../shared/contracts/models';
import { connectSocket, emitAck, testDeps, waitFor } from '../../../shared/testing/harness';
import { killAllEntries, startServerProcess } from '../../../shared/testing/processes';
import { startWorkers } from '../../../workers/start';
import { recharge } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The gift that reaches a goal is sent through a server process that dies right after the wallet phase
 * (GIFT_CRASH_AFTER_HOLD): its room phase never ran there. The settlement workers' finishing step runs it, so the
 * workers are the ones that tell the room `goal:reached`, once; the gift's streak still ends once, and a retry of
 * the same key afterwards announces nothing again.
 */
describe('a goal reached by a gift whose process died is announced by the workers, once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ streakGapMs: 500 });
  });
  afterAll(async () => {
    await killAllEntries();
    await s.close();
  });

  it('the finishing step counts the gift in the goal and announces goal:reached once', async () => {
    const creator = await s.createUser();
    const fan = await s.createUser();
    await recharge(s.url, fan.token, 100);
    const streamId = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'goal' } })).body
      .stream.id as string;
    const goal = (
      await s.request('POST', `/v1/streams/${streamId}/goals`, {
        token: creator.token,
        body: { title: 'Seven roses', targetCoins: 7 },
      })
    ).body.goal as Goal;

    const watcher = await s.connect();
    const reached: Goal[] = [];
    const streaks: StreakEnded[] = [];
    watcher.on('goal:reached', ({ goal: g }) => reached.push(g));
    watcher.on('streak:ended', (streak) => streaks.push(streak));
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true, goal });

    const doomed = await startServerProcess({
      KEY_PREFIX: s.deps.keys.prefix,
      REDIS_URL: s.deps.config.redisUrl!,
      GIFT_CRASH_AFTER_HOLD: '1',
    });
    const socket = await connectSocket(doomed.url, { token: fan.token });
    const idempotencyKey = randomUUID();
    void emitAck(socket, 'gift:send', { streamId, giftId: 'rose', count: 7, idempotencyKey }, 10_000).catch(
      () => undefined,
    );
    expect(await doomed.exited).toBe('SIGKILL');
    socket.disconnect();
    expect((await s.request('GET', `/v1/goals/${goal.id}`)).body.goal).toMatchObject({ progressCoins: 0 });

    const workerDeps = testDeps({ keyPrefix: s.deps.keys.prefix, settleStaleMs: 300, sweepEveryMs: 200 });
    const workers = await startWorkers(workerDeps);
    try {
      await waitFor(
        () => reached.length,
        (n) => n >= 1,
      );
    } finally {
      await workers.close();
      await workerDeps.close();
    }
    const now = (await s.request('GET', `/v1/goals/${goal.id}`)).body.goal as Goal;
    expect(now).toMatchObject({ progressCoins: 7, status: 'reached', reachedAt: expect.any(Number) });
    expect(reached).toEqual([now]);

    // the same key again, through a live server: the first answer, and nothing announced again
    const again = await s.connect({ token: fan.token });
    const replay = await emitAck(again, 'gift:send', { streamId, giftId: 'rose', count: 7, idempotencyKey });
    expect(replay).toMatchObject({ ok: true, gift: { totalCoins: 7, at: now.reachedAt } });
    await waitFor(
      () => streaks.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 1200));
    expect(reached).toHaveLength(1);
    expect(streaks).toEqual([expect.objectContaining({ combo: 7, totalCoins: 7, lastAt: now.reachedAt })]);
    expect((await s.request('GET', `/v1/goals/${goal.id}`)).body.goal).toEqual(now);
  });
});
