import { randomUUID } from 'node:crypto';
import { emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import type { Battle } from '../../../shared/contracts/models';
import { announcingDeps, runBattleJob } from '../../../workers/battles';
import { fundViewer } from '../../../shared/testing/money';
import { activeBattle, invite, liveCreator, recordBattleEvents, type Creator } from './fixtures';

/**
 * Gift wars end to end: real socket.io clients in both rooms (joined with stream:join), gifts sent with gift:send,
 * the end of a 30 s battle driven through the worker's job runner at `now = endsAt` instead of waiting.
 */
describe('a gift war seen from both rooms', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ battlePushMs: 50 });
  });
  afterAll(() => s.close());

  async function fan(coins = 10_000) {
    const f = await s.createUser();
    await fundViewer(s.deps, f.user, coins);
    return { ...f, socket: await s.connect({ token: f.token }) };
  }
  type Fan = Awaited<ReturnType<typeof fan>>;

  async function send(from: Fan, to: Creator, giftId: string, count = 1) {
    const ack = await emitAck(from.socket, 'gift:send', {
      streamId: to.streamId,
      giftId,
      count,
      idempotencyKey: randomUUID(),
    });
    if (!ack.ok) throw new Error(`gift refused: ${JSON.stringify(ack.error)}`);
    return ack.gift;
  }

  /** An anonymous watcher in the stream's room, recording battle events from the moment it joined. */
  async function watcher(c: Creator) {
    const socket: TestSocket = await s.connect();
    const events = recordBattleEvents(socket);
    const ack = await emitAck(socket, 'stream:join', { streamId: c.streamId });
    if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack.error)}`);
    return { socket, events, ack };
  }

  const endAt = (battle: Battle) =>
    runBattleJob(announcingDeps(s.deps), { kind: 'end', battleId: battle.id }, battle.endsAt!);
  const scores = (b: Battle) => b.sides.map((x) => x.score);
  const last = <T>(xs: T[]) => xs[xs.length - 1]!;

  it("both rooms hear it start, grow with each side's gifts, and end with the right winner, scores and MVPs", async () => {
    const a = await liveCreator(s, 'Ava');
    const b = await liveCreator(s, 'Ben');
    const [ann, amy, bob] = [await fan(), await fan(), await fan()];
    const rooms = [await watcher(a), await watcher(b)];

    await send(ann, a, 'rose', 7); // before the invitation: not part of the battle
    const pending = (await invite(s, a, b, 30)).body.battle as Battle;
    await send(bob, b, 'rose', 3); // pending: not started, does not count
    const battle = (await s.request('POST', `/v1/battles/${pending.id}/accept`, { token: b.token })).body
      .battle as Battle;

    await send(ann, a, 'luxury-car'); // 2699
    await send(bob, b, 'rose', 2);
    await send(amy, a, 'rose', 5);
    await send(bob, b, 'luxury-car'); // B: 2701
    await send(amy, a, 'rose', 10); // A: 2714
    for (const room of rooms) {
      await waitFor(
        () => room.events,
        (ev) => ev.length > 1 && scores(last(ev).battle).join() === '2714,2701',
      );
    }

    await endAt(battle);
    const ended = (await s.request('GET', `/v1/battles/${battle.id}`)).body.battle as Battle;
    expect(ended).toEqual({
      ...battle,
      status: 'ended',
      sides: [
        {
          streamId: a.streamId,
          creatorId: a.user.id,
          score: 2714,
          mvp: { userId: ann.user.id, displayName: ann.user.displayName, coins: 2699 },
        },
        {
          streamId: b.streamId,
          creatorId: b.user.id,
          score: 2701,
          mvp: { userId: bob.user.id, displayName: bob.user.displayName, coins: 2701 },
        },
      ],
      endedAt: battle.endsAt,
      winnerStreamId: a.streamId,
      endReason: 'time',
    });

    for (const room of rooms) {
      await waitFor(
        () => room.events,
        (ev) => last(ev).event === 'battle:ended',
      );
      const names = room.events.map((e) => e.event);
      expect(names[0]).toBe('battle:started');
      expect(room.events[0]!.battle).toEqual(battle);
      expect(names.slice(1, -1).every((n) => n === 'battle:update')).toBe(true);
      // pushed only on change: every update shows more coins than the one before
      const totals = room.events.slice(1, -1).map((e) => e.battle.sides[0].score + e.battle.sides[1].score);
      totals.forEach((t, i) => expect(t).toBeGreaterThan(i === 0 ? 0 : totals[i - 1]!));
      expect(last(room.events).battle).toEqual(ended);
    }

    // after the end, gifts still reach the streams but not the battle
    await send(bob, b, 'luxury-car');
    expect((await s.request('GET', `/v1/battles/${battle.id}`)).body.battle).toEqual(ended);
  });

  it('a viewer joining mid-battle gets the battle, with its scores, in the stream:join acknowledgement', async () => {
    const { a, b, battle } = await activeBattle(s, 30);
    await send(await fan(), b, 'rose', 4);
    for (const c of [a, b]) {
      const late = await watcher(c);
      expect(late.ack.battle).toMatchObject({
        id: battle.id,
        status: 'active',
        startedAt: battle.startedAt,
        endsAt: battle.endsAt,
      });
      expect(scores(late.ack.battle)).toEqual([0, 4]);
    }
  });

  it('a creator who ends their stream mid-war forfeits: both rooms hear battle:ended with the other side as winner', async () => {
    const { a, b } = await activeBattle(s, 30);
    const rooms = [await watcher(a), await watcher(b)];
    await send(await fan(), a, 'luxury-car');
    await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    for (const room of rooms) {
      await waitFor(
        () => room.events,
        (ev) => ev.some((e) => e.event === 'battle:ended'),
      );
      expect(last(room.events).battle).toMatchObject({
        status: 'ended',
        endReason: 'forfeit',
        winnerStreamId: b.streamId,
        sides: [{ score: 2699 }, { score: 0 }],
      });
    }
  });
});
