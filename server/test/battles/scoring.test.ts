import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server';
import type { Battle } from '../../../shared/contracts/models';
import type { User } from '../../../shared/contracts/users';
import { acceptBattle } from '../../../shared/domain/battles';
import { redisNow } from '../../../shared/domain/clock';
import { acceptGift } from '../../../shared/domain/gifts';
import { announcingDeps, runBattleJob } from '../../../workers/battles';
import { fundedViewer } from '../../../shared/testing/money';
import { activeBattle, invite, liveCreator, pendingBattle } from './fixtures';

/**
 * Scores come from each gift's room phase (gift-room, in its stream's slot): these stories send gifts through
 * acceptGift, the function gift:send calls. Every window is judged by Redis's clock; where a window must lie in the
 * past or the future, the battle is accepted at that moment of Redis's clock.
 */
describe('battle scores are exactly the coins gifted during the active window', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const gift = (sender: User, streamId: string, giftId: string, count = 1) =>
    acceptGift(s.deps, { sender, streamId, giftId, count, idempotencyKey: randomUUID() });
  const read = async (id: string) => (await s.request('GET', `/v1/battles/${id}`)).body.battle as Battle;
  const endAt = (battle: Battle) =>
    runBattleJob(announcingDeps(s.deps), { kind: 'end', battleId: battle.id }, battle.endsAt!);
  const scores = (b: Battle) => b.sides.map((x) => x.score);

  it('gifts before the invitation and while pending do not count; the richer side wins with its top gifters as MVPs', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const [ann, amy, bob] = await Promise.all([
      fundedViewer(s.deps, 10_000),
      fundedViewer(s.deps, 10_000),
      fundedViewer(s.deps, 10_000),
    ]);
    await gift(ann, a.streamId, 'rose', 7);
    const pending = (await invite(s, a, b, 30)).body.battle as Battle;
    await gift(bob, b.streamId, 'rose', 3);
    const battle = (await s.request('POST', `/v1/battles/${pending.id}/accept`, { token: b.token })).body
      .battle as Battle;

    await gift(ann, a.streamId, 'luxury-car'); // 2699
    await gift(amy, a.streamId, 'rose', 5);
    await gift(bob, b.streamId, 'rose', 2);
    await gift(bob, b.streamId, 'luxury-car');
    await gift(amy, a.streamId, 'rose', 10);
    expect(scores(await read(battle.id))).toEqual([2714, 2701]);

    await endAt(battle);
    const ended = await read(battle.id);
    expect(ended).toEqual({
      ...battle,
      status: 'ended',
      sides: [
        {
          streamId: a.streamId,
          creatorId: a.user.id,
          score: 2714,
          mvp: { userId: ann.id, displayName: ann.displayName, coins: 2699 },
        },
        {
          streamId: b.streamId,
          creatorId: b.user.id,
          score: 2701,
          mvp: { userId: bob.id, displayName: bob.displayName, coins: 2701 },
        },
      ],
      endedAt: battle.endsAt,
      winnerStreamId: a.streamId,
      endReason: 'time',
    });
    // after the end, gifts still reach the stream but no longer the battle
    expect((await gift(bob, b.streamId, 'luxury-car')).battleId).toBeNull();
    expect(await read(battle.id)).toEqual(ended);
  });

  it("only gifts with startedAt <= at < endsAt by Redis's clock count, whether or not the timer has run", async () => {
    const bob = await fundedViewer(s.deps, 100);
    const { a, battle } = await activeBattle(s, 30);
    const inside = await gift(bob, a.streamId, 'rose');
    expect(inside.battleId).toBe(battle.id);
    expect(inside.gift.at).toBeGreaterThanOrEqual(battle.startedAt!);
    expect(inside.gift.at).toBeLessThan(battle.endsAt!);

    // a window that closed a millisecond ago by Redis's clock, its timer not yet run: the battle still reads active
    const over = await pendingBattle(s, 30);
    const past = (await redisNow(s.deps)) - 30_001;
    await acceptBattle(s.deps, over.battle.id, over.b.user.id, past);
    expect((await gift(bob, over.b.streamId, 'rose')).battleId).toBeNull();
    // a window that has not opened yet (accepted at a moment ahead of Redis's clock)
    const ahead = await pendingBattle(s, 30);
    await acceptBattle(s.deps, ahead.battle.id, ahead.b.user.id, (await redisNow(s.deps)) + 1_000);
    expect((await gift(bob, ahead.a.streamId, 'rose')).battleId).toBeNull();
    expect(scores(await read(over.battle.id))).toEqual([0, 0]);
    expect(scores(await read(ahead.battle.id))).toEqual([0, 0]);
    expect(scores(await read(battle.id))).toEqual([1, 0]);
  });

  it('equal scores are a tie (winnerStreamId null); within a side, the first to reach a score is its MVP', async () => {
    const { a, b, battle } = await activeBattle(s, 30);
    const [ann, amy, bob] = await Promise.all([
      fundedViewer(s.deps, 100),
      fundedViewer(s.deps, 100),
      fundedViewer(s.deps, 100),
    ]);
    await gift(ann, a.streamId, 'rose', 3);
    await gift(amy, a.streamId, 'rose', 3);
    await gift(bob, b.streamId, 'rose', 6);
    await endAt(battle);
    const ended = await read(battle.id);
    expect(ended).toMatchObject({ status: 'ended', winnerStreamId: null, endReason: 'time' });
    expect(scores(ended)).toEqual([6, 6]);
    expect(ended.sides.map((x) => [x.mvp?.userId, x.mvp?.coins])).toEqual([
      [ann.id, 3],
      [bob.id, 6],
    ]);
  });

  it('a side that ends its stream forfeits even when it is ahead; the scores stay as they were', async () => {
    const { a, b, battle } = await activeBattle(s, 30);
    const [ann, bob] = await Promise.all([fundedViewer(s.deps, 10_000), fundedViewer(s.deps, 100)]);
    await gift(ann, a.streamId, 'luxury-car');
    await gift(bob, b.streamId, 'rose');
    await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    const ended = await read(battle.id);
    expect(ended).toMatchObject({ status: 'ended', endReason: 'forfeit', winnerStreamId: b.streamId });
    expect(scores(ended)).toEqual([2699, 1]);
    // the winner's fans keep gifting their stream, outside any battle
    expect((await gift(bob, b.streamId, 'rose')).battleId).toBeNull();
    expect(scores(await read(battle.id))).toEqual([2699, 1]);
  });
});
