import { emitAck, waitFor } from '../../../shared/testing/harness';
import type { Battle, LeaderboardItem } from '../../../shared/contracts/models';
import { unsentWireBytes } from '../../realtime/socket-buffer';
import { fan, liveStream, send } from '../gifting/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';
import { activeBattle, recordBattleEvents } from '../battles/fixtures';
import { WireClient, type WirePacket } from './fixtures';

type Board = { streamId: string; items: LeaderboardItem[] };

/**
 * State that supersedes itself (the leaderboard here; viewers, battle:update and goal:update go the same way) is
 * never queued for a socket that is behind: while a watcher reads nothing, the top of the stream changes five
 * times; a watcher that reads gets all five boards, the one that was behind gets only the newest when it reads.
 */
describe('a watcher that is behind gets the latest leaderboard, not every one it missed', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ leaderboardPushMs: 20 });
  });
  afterAll(() => s.close());

  it('five changes of the top while it does not read: one board, the newest, when it reads again', async () => {
    const { streamId } = await liveStream(s, 'top gifters');
    const reading = await s.connect();
    const boards: Board[] = [];
    reading.on('leaderboard', (b) => boards.push(b));
    expect(await emitAck(reading, 'stream:join', { streamId })).toMatchObject({ ok: true });

    const behind = await WireClient.connect(s.url);
    await behind.emit('stream:join', { streamId }, 0);
    const read: WirePacket[] = [];
    while (!read.some((p) => p.kind === 'ack' && p.id === 0)) read.push(...(await behind.read()));
    const onServer = s.giftwire.io.of('/').sockets.get(socketIdOf(s, behind.sid))!;

    // from here on `behind` reads nothing: a first gift leaves bytes waiting for it in the server
    const first = await fan(s, 100);
    expect(await send(first.socket, streamId, 'rose')).toMatchObject({ ok: true });
    await waitFor(
      () => unsentWireBytes(onServer),
      (n) => n > 0,
    );

    // five fans in turn take the top; the reading watcher sees each new top
    const fans = [];
    for (let i = 1; i <= 5; i++) {
      const f = await fan(s, 1000);
      fans.push(f);
      expect(await send(f.socket, streamId, 'perfume', i)).toMatchObject({ ok: true });
      await waitFor(
        () => boards.at(-1)?.items[0]?.userId,
        (top) => top === f.user.id,
      );
    }
    const newIds = new Set(fans.map((f) => f.user.id));
    const showsNewFans = (b: Board) => b.items.some((i) => newIds.has(i.userId));
    expect(boards.filter(showsNewFans).length).toBeGreaterThanOrEqual(5);
    const newest = boards.at(-1)!;

    // it reads again: everything it missed, and of the five boards only the newest
    const later: WirePacket[] = [];
    const boardsRead = () =>
      later.flatMap((p) => (p.kind === 'event' && p.event === 'leaderboard' ? [p.args[0] as Board] : []));
    while (!boardsRead().some((b) => JSON.stringify(b) === JSON.stringify(newest)))
      later.push(...(await behind.read()));
    expect(boardsRead().filter(showsNewFans)).toEqual([newest]);
    await behind.close();
  });
});

/**
 * A battle's scores are a latest state too, but battle:ended is the last word: a score held for a watcher that is
 * behind is dropped when the battle ends (here by a forfeit, before its endsAt), never sent after the end.
 */
describe('a watcher that is behind never gets a battle:update after battle:ended', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ battlePushMs: 20 });
  });
  afterAll(() => s.close());

  it('the score held while it did not read is dropped by the forfeit', async () => {
    const { a, battle } = await activeBattle(s);
    const reading = await s.connect();
    const events = recordBattleEvents(reading);
    expect(await emitAck(reading, 'stream:join', { streamId: a.streamId })).toMatchObject({ ok: true });
    const behind = await WireClient.connect(s.url);
    await behind.emit('stream:join', { streamId: a.streamId }, 0);
    const read: WirePacket[] = [];
    while (!read.some((p) => p.kind === 'ack' && p.id === 0)) read.push(...(await behind.read()));
    const onServer = s.giftwire.io.of('/').sockets.get(socketIdOf(s, behind.sid))!;

    // a first gift leaves bytes waiting for it; a second moves the score while it still reads nothing
    const supporter = await fan(s, 1000);
    expect(await send(supporter.socket, a.streamId, 'rose')).toMatchObject({ ok: true });
    await waitFor(
      () => unsentWireBytes(onServer),
      (n) => n > 0,
    );
    expect(await send(supporter.socket, a.streamId, 'perfume')).toMatchObject({ ok: true });
    await waitFor(
      () => events.filter((e) => e.event === 'battle:update').at(-1)?.battle.sides[0]?.score,
      (score) => score === 21,
    );

    // the creator ends the stream mid-war: a forfeit, long before endsAt
    const end = await s.request('POST', `/v1/streams/${a.streamId}/end`, { token: a.token });
    expect(end.status).toBe(200);
    await waitFor(
      () => events.some((e) => e.event === 'battle:ended'),
      (ended) => ended,
    );

    const later: WirePacket[] = [];
    const battleEvents = () =>
      later.flatMap((p) => (p.kind === 'event' && p.event.startsWith('battle:') ? [p.event] : []));
    while (!battleEvents().includes('battle:ended')) later.push(...(await behind.read()));
    // and nothing after it, even once it has caught up (held states go out 50 ms after that)
    await new Promise((r) => setTimeout(r, 300));
    later.push(...(await behind.read(1000)));
    const events2 = battleEvents();
    expect(events2.at(-1)).toBe('battle:ended');
    expect(events2.filter((e) => e === 'battle:ended')).toHaveLength(1);
    // the score it missed (21: the rose and the perfume) never reached it; it was held, then dropped by the end
    const scores = later.flatMap((p) =>
      p.kind === 'event' && p.event === 'battle:update'
        ? [(p.args[0] as { battle: Battle }).battle.sides[0]!.score]
        : [],
    );
    expect(scores).not.toContain(21);
    expect(battle.status).toBe('active');
  });
});

/** The server's socket of a wire client, by its engine.io session id. */
function socketIdOf(s: TestServer, sid: string): string {
  for (const [id, socket] of s.giftwire.io.of('/').sockets)
    if ((socket.conn as unknown as { id: string }).id === sid) return id;
  throw new Error('no socket for that session');
}
