import { testConfig } from '../../../shared/config';
import { streamRoom } from '../../../shared/contracts/rooms';
import type { Battle } from '../../../shared/contracts/models';
import type { GiftsFrame } from '../../../shared/contracts/socket';
import { CLUSTER_ERRORS, isCluster } from '../../../shared/redis/client';
import { createKeys } from '../../../shared/redis/keys';
import { masters } from '../../../shared/redis/scan';
import {
  connectSocket,
  emitAck,
  isClusterRun,
  testDeps,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type TestSocket,
} from '../../../shared/testing/harness';
import {
  callJson,
  killAllEntries,
  spawnEntry,
  startServerProcess,
  type EntryProcess,
  type ServerProcess,
} from '../../../shared/testing/processes';
import { recharge, send } from '../gifting/fixtures';

/**
 * Rooms span server processes, and processes without sockets (the workers) reach them, through Redis: on one Redis
 * with the classic adapter and emitter, on a Redis Cluster with the sharded adapter (SPUBLISH/SSUBSCRIBE, a channel
 * per room). Real processes: two servers and a workers process, which inherit REDIS_CLUSTER_NODES on a cluster run.
 */
describe('rooms span processes on one Redis and on a Redis Cluster', () => {
  const prefix = uniquePrefix();
  const keys = createKeys(prefix);
  const admin = testConfig().adminToken;
  const deps = testDeps({ keyPrefix: prefix });
  let a: ServerProcess;
  let b: ServerProcess;
  let workers: EntryProcess;
  const sockets: TestSocket[] = [];

  const user = async (displayName: string) =>
    (await callJson(`${a.url}/v1/admin/users`, 'POST', { displayName, birthDate: '1990-01-01', verified: true }, admin))
      .body as { user: { id: string }; token: string };
  const socket = async (url: string, token?: string) => {
    const s = await connectSocket(url, token ? { token } : {});
    sockets.push(s);
    return s;
  };
  const goLive = async (token: string) =>
    (await callJson(`${a.url}/v1/streams`, 'POST', { title: 'scale-out' }, token)).body.stream.id as string;

  beforeAll(async () => {
    // invitations expire after a second, so the workers' timer fires within the test
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix, LOG_LEVEL: 'info', BATTLE_INVITE_TTL_SEC: '1' };
    workers = spawnEntry('workers/index.ts', { NODE_ENV: 'test', ...env });
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 40_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllEntries();
    await deps.close();
  });

  it('a gift sent through one server process reaches a watcher on the other, over the adapter of this Redis', async () => {
    const creator = await user('Creator');
    const fan = await user('Fan');
    await recharge(b.url, fan.token, 100);
    const streamId = await goLive(creator.token);

    const watcher = await socket(b.url);
    const frames: GiftsFrame[] = [];
    watcher.on('gifts', (f) => frames.push(f));
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true });

    // the adapter in use: on a cluster the sharded one, where the room has a channel of its own on the master that
    // owns it; on one Redis the classic one (its broadcasts go through a pattern, its requests through a channel)
    const channels = await adapterChannels();
    if (isClusterRun()) {
      expect(channels).toContain(`${keys.socketChannel}#/#${streamRoom(streamId)}#`);
      expect(channels.some((c) => c.startsWith(`${keys.socketChannel}-request`))).toBe(false);
    } else {
      expect(channels).toContain(`${keys.socketChannel}-request#/#`);
    }

    const ack = await send(await socket(a.url, fan.token), streamId, 'perfume', 2);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    await waitFor(
      () => frames.length,
      (n) => n === 1,
    );
    expect(frames[0]).toEqual({ streamId, items: [ack.gift] });
  });

  it("the workers process's emitter reaches creators connected to either server process", async () => {
    const x = await user('X');
    const y = await user('Y');
    const sx = await goLive(x.token);
    const sy = await goLive(y.token);
    const onA = await socket(a.url, x.token);
    const onB = await socket(b.url, y.token);
    const events = [onA, onB].map((s) => {
      const seen: Array<{ event: string; battle: Battle }> = [];
      for (const event of ['battle:invited', 'battle:ended'] as const)
        s.on(event, ({ battle }) => seen.push({ event, battle }));
      return seen;
    });
    expect(await emitAck(onA, 'stream:join', { streamId: sx })).toMatchObject({ ok: true });
    expect(await emitAck(onB, 'stream:join', { streamId: sy })).toMatchObject({ ok: true });

    const invited = await callJson(
      `${a.url}/v1/battles`,
      'POST',
      { streamId: sx, opponentStreamId: sy, durationSec: 60 },
      x.token,
    );
    expect(invited.status).toBe(201);
    const battleId = invited.body.battle.id as string;

    // server A announces the invitation; the workers' expiry job, a second later, announces its end
    for (const seen of events) {
      await waitFor(
        () => seen.map((e) => e.event),
        (names) => names.includes('battle:ended'),
        15_000,
      );
      expect(seen.map((e) => [e.event, e.battle.id, e.battle.status])).toEqual([
        ['battle:invited', battleId, 'pending'],
        ['battle:ended', battleId, 'expired'],
      ]);
    }
  });

  it("an operator's revocation through one process tells, then drops, the user's sockets on both", async () => {
    const fan = await user('Revoked fan');
    const onA = await socket(a.url, fan.token);
    const onB = await socket(b.url, fan.token);
    const heard = (s: TestSocket) =>
      new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        s.on('account:revoked', () => seen.push('account:revoked'));
        s.once('disconnect', (reason) => resolve([...seen, reason]));
      });
    const [seenA, seenB] = [heard(onA), heard(onB)];
    const res = await callJson(`${a.url}/v1/admin/users/${fan.user.id}/revoke-tokens`, 'POST', undefined, admin);
    expect(res.status).toBe(200);
    expect(await seenA).toEqual(['account:revoked', 'io server disconnect']);
    expect(await seenB).toEqual(['account:revoked', 'io server disconnect']);
  });

  it('no process logged a cross-slot, MOVED, ASK, CLUSTERDOWN or TRYAGAIN error', () => {
    for (const p of [a, b, workers]) expect(p.output()).not.toMatch(CLUSTER_ERRORS);
  });

  /** Pub/sub channels with subscribers: sharded ones of every master on a cluster, classic ones on one Redis. */
  async function adapterChannels(): Promise<string[]> {
    await deps.redis.ping();
    const all: string[] = [];
    for (const node of masters(deps.redis)) {
      const kind = isCluster(deps.redis) ? 'SHARDCHANNELS' : 'CHANNELS';
      all.push(...((await node.call('PUBSUB', kind, `${keys.socketChannel}*`)) as string[]));
    }
    return all;
  }
});
