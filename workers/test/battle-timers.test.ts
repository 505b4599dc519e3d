import { waitFor } from '../../shared/testing/harness';
import { startTestServer, type TestServer } from '../../server/test/support/test-server';
import { creatorRoom } from '../../shared/contracts/rooms';
import { acceptBattle, createBattle } from '../../shared/domain/battles';
import { readBattle } from '../../shared/domain/battle-view';
import { QUEUES, Queues } from '../../shared/runtime/queues';
import { startWorkers, type RunningWorkers } from '../start';
import { invite, joinRoom, liveCreator, recordBattleEvents } from '../../server/test/battles/fixtures';

/** A server and the workers of one deployment (same key prefix), in this process. */
async function deployment(overrides: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(overrides);
  const workers = await startWorkers(s.deps);
  return { s, workers };
}

describe('battle timers run in the workers', () => {
  describe('an invitation nobody answers', () => {
    let s: TestServer;
    let workers: RunningWorkers;
    beforeAll(async () => {
      // a sweep far away: only the delayed job can expire the invitation in time
      ({ s, workers } = await deployment({ battleInviteTtlSec: 1, sweepEveryMs: 600_000 }));
    });
    afterAll(async () => {
      await workers.close();
      await s.close();
    });

    it('expires after BATTLE_INVITE_TTL_SEC by its delayed job, and both creators hear battle:ended', async () => {
      const a = await liveCreator(s);
      const b = await liveCreator(s);
      const sockets = [await s.connect({ token: a.token }), await s.connect({ token: b.token })];
      joinRoom(s, sockets[0]!, creatorRoom(a.streamId));
      joinRoom(s, sockets[1]!, creatorRoom(b.streamId));
      const heard = sockets.map(recordBattleEvents);
      const { battle } = (await invite(s, a, b)).body;

      // read straight from Redis: a GET would settle it lazily and prove nothing about the worker
      const expired = await waitFor(
        () => readBattle(s.deps, battle.id),
        (x) => x?.status === 'expired',
        10_000,
        50,
      );
      expect(expired).toMatchObject({ endReason: 'expired', endedAt: battle.expiresAt });
      for (const events of heard) {
        await waitFor(
          () => events.length,
          (n) => n === 2,
        );
        expect(events.map((e) => [e.event, e.battle.status])).toEqual([
          ['battle:invited', 'pending'],
          ['battle:ended', 'expired'],
        ]);
      }
      expect((await invite(s, b, a)).status).toBe(201);
    });
  });

  describe('a timer that fires before endsAt (a clock ahead, a job added with the wrong delay)', () => {
    let s: TestServer;
    let workers: RunningWorkers;
    beforeAll(async () => {
      ({ s, workers } = await deployment({ sweepEveryMs: 600_000 }));
    });
    afterAll(async () => {
      await workers.close();
      await s.close();
    });

    it('does not end the battle early: it waits, then ends it at endsAt', async () => {
      const a = await liveCreator(s);
      const b = await liveCreator(s);
      const t0 = Date.now() - 29_000;
      const p = await createBattle(
        s.deps,
        a.user.id,
        { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 },
        t0,
      );
      const battle = await acceptBattle(s.deps, p.id, b.user.id, t0 + 500); // ends 1.5 s from now
      const queues = new Queues(s.deps);
      await queues.get(QUEUES.battles).add('end', { kind: 'end', battleId: battle.id }, { jobId: `end-${battle.id}` });
      const ended = await waitFor(
        () => readBattle(s.deps, battle.id),
        (x) => x?.status === 'ended',
        10_000,
        50,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(battle.endsAt!);
      expect(ended).toMatchObject({ endReason: 'time', endedAt: battle.endsAt });
      await queues.close();
    });
  });

  describe('a battle whose timer was never added (its process died right after the script)', () => {
    let s: TestServer;
    let workers: RunningWorkers;
    beforeAll(async () => {
      ({ s, workers } = await deployment({ sweepEveryMs: 200 }));
    });
    afterAll(async () => {
      await workers.close();
      await s.close();
    });

    it('is settled by the sweeper from battles:due', async () => {
      const a = await liveCreator(s);
      const b = await liveCreator(s);
      // the domain call alone: the battle is written, no BullMQ job exists for it
      const battle = await createBattle(
        s.deps,
        a.user.id,
        { streamId: a.streamId, opponentStreamId: b.streamId, durationSec: 30 },
        Date.now() - 60_000,
      );
      const expired = await waitFor(
        () => readBattle(s.deps, battle.id),
        (x) => x?.status === 'expired',
        10_000,
        50,
      );
      expect(expired?.endedAt).toBe(battle.expiresAt);
    });
  });
});
