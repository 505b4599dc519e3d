import { randomUUID } from 'node:crypto';
import type { Goal } from '../../../shared/contracts/models';
import { emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { fan, liveStream, send, type SendAck } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * A creator sets a goal and a crowd fights over it: many senders at once, every gift counted exactly once in the
 * same step as the gift, `goal:reached` heard exactly once, `goal:update` at most four times a second; a chargeback
 * that voids a gift takes its coins back out of the goal once, and a reached goal stays reached.
 */
describe('a goal stays exact through a gift war', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  function listen(socket: TestSocket) {
    const updates: Array<{ at: number; goal: Goal }> = [];
    const reached: Goal[] = [];
    socket.on('goal:update', ({ goal }) => updates.push({ at: Date.now(), goal }));
    socket.on('goal:reached', ({ goal }) => reached.push(goal));
    return { updates, reached };
  }

  const readGoal = async (id: string) => (await s.request('GET', `/v1/goals/${id}`)).body.goal as Goal;

  it('twenty senders at once: progress is the sum of the gifts after its creation, reached once', async () => {
    const { creator, streamId } = await liveStream(s);
    const watcher = await s.connect();
    const heard = listen(watcher);
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true, goal: null });
    const fans = await Promise.all(Array.from({ length: 20 }, () => fan(s, 2_000)));
    // before the goal: counted on the stream, not in the goal
    expect((await send(fans[0]!.socket, streamId, 'perfume')).ok).toBe(true);

    const created = await s.request('POST', `/v1/streams/${streamId}/goals`, {
      token: creator.token,
      body: { title: 'Gift war', targetCoins: 800 },
    });
    const goalId = created.body.goal.id as string;

    const counts = [1, 5, 10, 2, 7];
    const acks: SendAck[] = (
      await Promise.all(
        fans.map(async (f, i) => {
          const mine: SendAck[] = [];
          for (let j = 0; j < 10; j++) mine.push(await send(f.socket, streamId, 'rose', counts[(i + j) % 5]!));
          return mine;
        }),
      )
    ).flat();
    const gifts = acks.map((a) => {
      if (!a.ok) throw new Error(a.error.code);
      return a.gift;
    });
    const sum = gifts.reduce((n, g) => n + g.totalCoins, 0);
    expect(sum).toBeGreaterThan(800);

    const goal = await readGoal(goalId);
    expect(goal).toMatchObject({ progressCoins: sum, status: 'reached' });
    // the gift that reached it is one of ours
    expect(gifts.map((g) => g.at)).toContain(goal.reachedAt);

    // the room hears the end state, and the reach exactly once
    await waitFor(
      () => heard.updates.at(-1)?.goal.progressCoins,
      (p) => p === sum,
    );
    await waitFor(
      () => heard.reached.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(heard.reached).toHaveLength(1);
    expect(heard.reached[0]).toMatchObject({ id: goalId, status: 'reached', reachedAt: goal.reachedAt });
    expect(heard.reached[0]!.progressCoins).toBeGreaterThanOrEqual(800);
    // at most four goal:update a second (the creation's update included)
    for (let i = 4; i < heard.updates.length; i++) {
      expect(heard.updates[i]!.at - heard.updates[i - 4]!.at).toBeGreaterThanOrEqual(1000 - 50);
    }
    const stream = await s.request('GET', `/v1/streams/${streamId}`);
    expect(stream.body.totalCoins).toBe(sum + 20);
  });

  it('a chargeback takes a voided gift back out of the goal once; the goal stays reached', async () => {
    const { creator, streamId } = await liveStream(s);
    const buyer = await fan(s, 0);
    const bought = await s.request('POST', '/v1/wallet/recharges', {
      token: buyer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 100, payment: { token: 'tok_ok' } },
    });
    const rechargeId = bought.body.recharge.id as string;
    const backer = await fan(s, 100);
    const goalId = (
      await s.request('POST', `/v1/streams/${streamId}/goals`, {
        token: creator.token,
        body: { title: 'Chargeback', targetCoins: 50 },
      })
    ).body.goal.id as string;
    const reaching = await send(buyer.socket, streamId, 'rose', 60);
    if (!reaching.ok) throw new Error(reaching.error.code);
    expect((await send(backer.socket, streamId, 'rose', 30)).ok).toBe(true);
    expect(await readGoal(goalId)).toMatchObject({ progressCoins: 90, status: 'reached' });

    const chargeback = () =>
      s.request('POST', `/v1/admin/recharges/${rechargeId}/chargeback`, { token: s.deps.config.adminToken });
    const first = await chargeback();
    expect(first.status).toBe(200);
    expect(first.body.chargeback).toMatchObject({ voidedGifts: 1 });
    const after = { progressCoins: 30, status: 'reached', reachedAt: reaching.gift.at };
    expect(await readGoal(goalId)).toMatchObject(after);
    expect((await chargeback()).body).toEqual(first.body);
    expect(await readGoal(goalId)).toMatchObject(after);
  });
});
