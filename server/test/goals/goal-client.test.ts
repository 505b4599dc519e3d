import { createGiftwireClient, type GiftwireClient, type Goal, type StreakEnded } from '../../../shared/client';
import { waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * An app on the typed client: a creator sets a goal, a viewer's app joins the stream and gets the goal in the join
 * answer, a fan's roses reach it (the viewer hears `goal:reached` once), their streak's end follows, the creator
 * ends the goal and the stream's goal list shows it.
 */
describe('the typed client follows goals and streak ends', () => {
  let server: TestServer;
  const clients: GiftwireClient[] = [];
  const client = (token?: string) => {
    const c = createGiftwireClient({ baseUrl: server.url, token });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestServer({ streakGapMs: 500 });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  test('set, join, reach, streak end, end, list', async () => {
    const operator = client(server.deps.config.adminToken);
    const ava = await operator.rest.admin.createUser({ displayName: 'Ava', birthDate: '1990-02-02', verified: true });
    const fan = await operator.rest.admin.createUser({ displayName: 'Fan', birthDate: '1990-02-02', verified: false });
    const creator = client(ava.token);
    const stream = await creator.rest.startStream('Goal night');
    const goal = await creator.rest.createGoal(stream.id, { title: 'Ten roses', targetCoins: 10, giftId: 'rose' });

    const viewer = client();
    await viewer.realtime.connect();
    const reached: Goal[] = [];
    const streaks: StreakEnded[] = [];
    viewer.realtime.on('goal:reached', ({ goal: g }) => reached.push(g));
    viewer.realtime.on('streak:ended', (s) => streaks.push(s));
    const joined = await viewer.realtime.join(stream.id);
    expect(joined.goal).toEqual(goal);

    const sender = client(fan.token);
    await sender.rest.recharge({ coins: 100, payment: { token: 'tok_ok' } });
    await sender.realtime.connect();
    for (let i = 0; i < 4; i++) await sender.realtime.sendGift({ streamId: stream.id, giftId: 'rose', count: 3 });

    await waitFor(
      () => streaks.length,
      (n) => n === 1,
    );
    expect(reached).toEqual([expect.objectContaining({ id: goal.id, status: 'reached', progressCoins: 12 })]);
    expect(streaks[0]).toMatchObject({ giftId: 'rose', combo: 12, totalCoins: 12, sender: { displayName: 'Fan' } });
    expect(await viewer.rest.goal(goal.id)).toMatchObject({ progressCoins: 12, status: 'reached' });

    const ended = await creator.rest.endGoal(goal.id);
    expect(ended.status).toBe('ended');
    expect(await viewer.rest.streamGoals(stream.id)).toEqual([ended]);
  });
});
