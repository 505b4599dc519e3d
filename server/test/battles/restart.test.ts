import { randomUUID } from 'node:crypto';
import { freePort } from '../../../shared/testing/free-port';
import { testDeps, testRedisUrl, waitFor } from '../../../shared/testing/harness';
import { startChild, stopAllChildren, type Child } from '../../../shared/testing/children';
import { acceptBattle, createBattle, findBattle } from '../../../shared/domain/battles';
import { createBattleTimers } from '../../../shared/domain/battle-timers';
import { acceptGift } from '../../../shared/domain/gifts';
import { fundedViewer } from '../wallet/fixtures';

/**
 * Real processes: a server and a workers process, killed (SIGKILL) while a battle runs and started again after
 * its endsAt. The battle must end by time, exactly at endsAt, from what Redis alone remembers.
 */
describe('a battle ends at endsAt across a restart of every process', () => {
  const deps = testDeps();
  const timers = createBattleTimers(deps);
  afterAll(async () => {
    await stopAllChildren();
    await timers.close();
    await deps.close();
  });

  async function generation(): Promise<{ server: Child; workers: Child; url: string }> {
    const port = await freePort();
    // a far sweep: the battle's own delayed job must end it
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: deps.config.keyPrefix, NODE_ENV: 'test', PORT: String(port), SWEEP_EVERY_MS: '600000' };
    const server = startChild('server/index.ts', env);
    const workers = startChild('workers/index.ts', env);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${url}/health`).then((r) => r.status).catch(() => 0), (st) => st === 200, 20_000, 100).catch((err) => {
      throw new Error(`${err}\n${server.output()}`);
    });
    return { server, workers, url };
  }

  async function liveCreator(url: string) {
    const admin = { authorization: `Bearer ${deps.config.adminToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/admin/users`, { method: 'POST', headers: admin, body: JSON.stringify({ displayName: 'c', birthDate: '1990-01-01', verified: true }) });
    const { user, token } = (await created.json()) as { user: { id: string }; token: string };
    const live = await fetch(`${url}/v1/streams`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 't' }) });
    return { userId: user.id, streamId: ((await live.json()) as { stream: { id: string } }).stream.id };
  }

  it('killed mid-battle, started again after endsAt: the new workers end it by time at endsAt', async () => {
    const first = await generation();
    const a = await liveCreator(first.url);
    const b = await liveCreator(first.url);
    // A 30 s battle that started 26 s ago (the domain takes `now`): it ends 4 s from here.
    const t0 = Date.now() - 27_000;
    const pending = await createBattle(deps, a.userId, { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 }, t0);
    const battle = await acceptBattle(deps, pending.id, b.userId, t0 + 1000);
    await timers.schedule(battle);
    const fan = await fundedViewer(deps, 1000);
    const send = (streamId: string, count: number) =>
      acceptGift(deps, { sender: fan, streamId, giftId: 'rose', count, idempotencyKey: randomUUID(), rateLimited: false });
    await send(a.streamId, 5);
    await send(b.streamId, 3);

    await Promise.all([first.server.stop('SIGKILL'), first.workers.stop('SIGKILL')]);
    await waitFor(() => Date.now(), (now) => now > battle.endsAt! + 200, 10_000, 50);
    expect((await findBattle(deps, battle.id))?.status).toBe('active');

    const second = await generation();
    const ended = await waitFor(() => findBattle(deps, battle.id), (x) => x?.status === 'ended', 15_000, 50);
    expect(ended).toMatchObject({ endReason: 'time', endedAt: battle.endsAt, winnerStreamId: a.streamId });
    expect(ended!.sides.map((x) => [x.score, x.mvp?.userId])).toEqual([[5, fan.id], [3, fan.id]]);
    const read = await fetch(`${second.url}/v1/battles/${battle.id}`).then((r) => r.json());
    expect(read.battle).toEqual(ended);
  }, 60_000);
});
