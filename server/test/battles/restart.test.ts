import { randomUUID } from 'node:crypto';
import { connectSocket, emitAck, testDeps, testRedisUrl, waitFor } from '../../../shared/testing/harness';
import { killAllEntries, spawnEntry, startServerProcess } from '../../../shared/testing/processes';
import type { Battle } from '../../../shared/contracts/models';
import type { User } from '../../../shared/contracts/users';
import { acceptBattle, createBattle } from '../../../shared/domain/battles';
import { readBattle } from '../../../shared/domain/battle-view';
import { scheduleBattleTimer } from '../../../shared/runtime/battle-timers';
import { Queues } from '../../../shared/runtime/queues';
import { fundViewer } from '../../../shared/testing/money';
import { recordBattleEvents } from './fixtures';

/**
 * Real processes: a server and a workers process, killed (SIGKILL) while a battle runs, started again after its
 * endsAt. The battle must end by time, exactly at endsAt, with the scores of the gifts sent before the crash, from
 * what Redis alone remembers; the new workers announce it to sockets of the new server.
 */
describe('a battle ends at endsAt across a restart of every process', () => {
  const deps = testDeps();
  const queues = new Queues(deps);
  afterAll(async () => {
    await killAllEntries();
    await queues.close();
    await deps.close();
  });

  // a far sweep: the battle's own delayed job must end it
  const env = () => ({ REDIS_URL: testRedisUrl(), KEY_PREFIX: deps.config.keyPrefix, SWEEP_EVERY_MS: '600000' });

  const server = () => startServerProcess(env());
  const workers = () => spawnEntry('workers/index.ts', env());

  async function user(url: string): Promise<{ user: User; token: string }> {
    const res = await fetch(`${url}/v1/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: `u${randomUUID().slice(0, 8)}`, birthDate: '1990-01-01', verified: true }),
    });
    return (await res.json()) as { user: User; token: string };
  }

  async function liveCreator(url: string) {
    const { user: u, token } = await user(url);
    const live = await fetch(`${url}/v1/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 't' }),
    });
    return { userId: u.id, streamId: ((await live.json()) as { stream: { id: string } }).stream.id };
  }

  it('killed mid-battle, started again after endsAt: the new workers end it by time at endsAt, and rooms hear it', async () => {
    const first = await server();
    const firstWorkers = workers();
    const a = await liveCreator(first.url);
    const b = await liveCreator(first.url);
    const fan = await user(first.url);
    await fundViewer(deps, fan.user, 100);
    const fanSocket = await connectSocket(first.url, { token: fan.token });
    // A 30 s battle that started 25 s ago (the domain takes `now`): it ends 5 s from here.
    const t0 = Date.now() - 26_000;
    const pending = await createBattle(
      deps,
      a.userId,
      { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 },
      t0,
    );
    const battle = await acceptBattle(deps, pending.id, b.userId, t0 + 1000);
    await scheduleBattleTimer(queues, battle);

    for (const [streamId, count] of [
      [a.streamId, 5],
      [b.streamId, 3],
    ] as const) {
      const ack = await emitAck(fanSocket, 'gift:send', {
        streamId,
        giftId: 'rose',
        count,
        idempotencyKey: randomUUID(),
      });
      expect(ack.ok).toBe(true);
    }
    fanSocket.disconnect();

    await Promise.all([first.kill(), firstWorkers.kill()]);
    expect(Date.now()).toBeLessThan(battle.endsAt!); // the first generation died before it could end the battle
    await waitFor(
      () => Date.now(),
      (now) => now > battle.endsAt! + 200,
      10_000,
      50,
    );
    expect((await readBattle(deps, battle.id))?.status).toBe('active');

    const second = await server();
    const watchers = await Promise.all(
      [a, b].map(async (c) => {
        const socket = await connectSocket(second.url);
        const events = recordBattleEvents(socket);
        const ack = await emitAck(socket, 'stream:join', { streamId: c.streamId });
        expect(ack.battle).toMatchObject({ id: battle.id, status: 'active' });
        return { socket, events };
      }),
    );
    workers();

    for (const w of watchers)
      await waitFor(
        () => w.events.length,
        (n) => n === 1,
        15_000,
        50,
      );
    const ended = (await readBattle(deps, battle.id)) as Battle;
    expect(ended).toMatchObject({
      status: 'ended',
      endReason: 'time',
      endedAt: battle.endsAt,
      winnerStreamId: a.streamId,
    });
    expect(ended.sides.map((x) => [x.score, x.mvp?.userId])).toEqual([
      [5, fan.user.id],
      [3, fan.user.id],
    ]);
    for (const w of watchers) {
      expect(w.events).toEqual([{ event: 'battle:ended', battle: ended }]);
      w.socket.disconnect();
    }
  }, 60_000);
});
