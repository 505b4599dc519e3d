import { randomUUID } from 'node:crypto';
import { acceptGift } from '../../../shared/domain/gifts';
import { settleGift } from '../../../shared/domain/settlement';
import { startStream } from '../../../shared/domain/streams';
import { createUser } from '../../../shared/domain/users';
import type { User } from '../../../shared/contracts/users';
import { isCluster } from '../../../shared/redis/client';
import { mintId, userShard } from '../../../shared/redis/keys';
import { isClusterRun, testDeps } from '../../../shared/testing/harness';
import { fundViewer } from '../../../shared/testing/money';

/**
 * Keys by owner (docs/ARCHITECTURE.md, "Key map"): a user's money sits in its user shard's slot, a stream's room in
 * its own, so on a Redis Cluster different users and different streams land on different masters, every key one
 * phase of a gift touches shares one slot, and a gift whose sender and stream live on two masters still moves its
 * coins exactly once.
 */
type Deps = ReturnType<typeof testDeps>;

async function slotOf(deps: Deps, key: string): Promise<number> {
  if (!isCluster(deps.redis)) return 0;
  return deps.redis.cluster('KEYSLOT', key);
}

/** The master that serves a key ('one' on a single Redis). */
async function masterOf(deps: Deps, key: string): Promise<string> {
  if (!isCluster(deps.redis)) return 'one';
  const slot = await slotOf(deps, key);
  const range = (await deps.redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)!;
  const [host, port] = range[2]!;
  return `${host}:${port}`;
}

const adult = (deps: Deps, n: number) =>
  createUser(deps, { displayName: `owner${n}`, birthDate: '1990-01-01', verified: true });

describe('keys are tagged by owner', () => {
  const deps = testDeps();
  afterAll(() => deps.close());
  const masters = isClusterRun() ? 3 : 1;

  it("users and streams spread over every master; one owner's keys share one slot", async () => {
    const users: User[] = [];
    const byMaster = new Map<string, User>();
    for (let i = 0; i < 40 && byMaster.size < masters; i++) {
      const u = await adult(deps, i);
      users.push(u);
      byMaster.set(await masterOf(deps, deps.keys.wallet(u.id)), u);
    }
    expect(byMaster.size).toBe(masters);

    const streamMasters = new Set<string>();
    for (let i = 0; i < 40 && streamMasters.size < masters; i++) {
      const s = await startStream(deps, (await adult(deps, 50 + i)).id, 'spread');
      streamMasters.add(await masterOf(deps, deps.keys.stream(s.id)));
    }
    expect(streamMasters.size).toBe(masters);

    // every key of a user's money, and every record minted for them, in their shard's one slot
    const u = users[0]!;
    const k = deps.keys;
    const record = mintId(userShard(u.id));
    const userKeys = [
      k.wallet(u.id),
      k.user(u.id),
      k.idem(u.id, 'key'),
      k.txs(u.id),
      k.gift(record),
      k.recharge(record),
      k.payout(record),
      k.outbox(userShard(u.id)),
      k.payoutsPending(userShard(u.id)),
      k.credit(u.id, randomUUID()),
      `${k.rateLimit}:gift:${k.rateBucket(u.id)}`,
    ];
    expect(new Set(await Promise.all(userKeys.map((key) => slotOf(deps, key)))).size).toBe(1);
    const sid = randomUUID();
    const roomKeys = [
      k.stream(sid),
      k.roomGift(sid, randomUUID()),
      k.streaks(sid),
      k.streaksDue(sid),
      k.goal(sid, randomUUID()),
      k.streamGoals(sid),
      k.lbStream(sid),
      k.lbMembers(k.lbStream(sid)),
      k.battleSide('b', sid),
      k.lbBattleSide('b', sid),
      k.viewers(sid),
      k.pushGate('leaderboard', sid),
    ];
    expect(new Set(await Promise.all(roomKeys.map((key) => slotOf(deps, key)))).size).toBe(1);
  });

  it('a gift from a sender on one master to a stream on another moves its coins exactly once', async () => {
    let sender: User | undefined;
    let streamId = '';
    let creator: User | undefined;
    for (let i = 0; i < 40 && !sender; i++) {
      const c = await adult(deps, 100 + i);
      const s = await startStream(deps, c.id, 'far away');
      const f = await adult(deps, 200 + i);
      const apart =
        !isClusterRun() ||
        (await masterOf(deps, deps.keys.wallet(f.id))) !== (await masterOf(deps, deps.keys.stream(s.id)));
      if (apart) [sender, creator, streamId] = [f, c, s.id];
    }
    expect(sender).toBeDefined();
    await fundViewer(deps, sender!, 50);
    const sent = await acceptGift(deps, {
      sender: sender!,
      streamId,
      giftId: 'rose',
      count: 9,
      idempotencyKey: randomUUID(),
    });
    expect(await settleGift(deps, sent.gift.id)).toMatchObject({ outcome: 'settled', diamonds: 4 });
    expect(await settleGift(deps, sent.gift.id)).toMatchObject({ outcome: 'already-settled', diamonds: 4 });
    expect(await deps.redis.hmget(deps.keys.wallet(sender!.id), 'coins', 'held', 'spent')).toEqual(['41', '0', '9']);
    expect(await deps.redis.hmget(deps.keys.wallet(creator!.id), 'received', 'diamonds')).toEqual(['9', '4']);
    expect(await deps.redis.hget(deps.keys.stream(streamId), 'totalCoins')).toBe('9');
  });
});
