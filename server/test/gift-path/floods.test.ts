import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { connect } from '../../../shared/redis/client';
import { startLocalRedis, type LocalRedis } from '../../../shared/redis/local-server';
import { freePort } from '../../../shared/testing/free-port';
import { emitAck } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';

/**
 * Floods are refused in memory. INFO commandstats counts every command a redis-server ran, whoever sent it, so this
 * story runs on a redis-server of its own and measures each flood with nothing else of the story running. One thing
 * runs whatever the traffic: the streak poller reads its index of streams every 200 ms (SMEMBERS), and does nothing
 * more while no stream has had a gift; the floods run before any gift, and that one command is left out.
 */
const BURST = 20;
const BACKGROUND = new Set(['info', 'smembers']);

describe('floods cost Redis nothing', () => {
  let redis: LocalRedis;
  let s: TestServer;
  let probe: ReturnType<typeof connect>;
  let streamId: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-floods-'));
    redis = await startLocalRedis({ port: await freePort(), dir, quiet: true });
    s = await startTestServer({
      redisUrl: redis.url,
      redisClusterNodes: undefined,
      // a refill far slower than any flood here: once spent, the budget stays spent for the whole story
      socketEventsPerSec: 0.01,
      socketEventBurst: BURST,
      // the process's own background work (heartbeats, viewer counts) stays out of the measured windows
      processHeartbeatMs: 600_000,
      viewersPushMs: 600_000,
    });
    probe = connect(redis.url);
    ({ streamId } = await liveStream(s));
  });
  afterAll(async () => {
    probe.disconnect();
    await s.close();
    await redis.stop();
  });

  /** Commands run so far by this redis-server, by name (the probe's own INFO calls left out). */
  async function commands(): Promise<Map<string, number>> {
    const info = await probe.info('commandstats');
    const counts = new Map<string, number>();
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (!BACKGROUND.has(m[1]!)) counts.set(m[1]!, Number(m[2]));
    }
    return counts;
  }

  /** What ran during `work`, once the server is quiet before it (a gift's settlement relay, pushes) and after it. */
  async function commandsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
    await quiet();
    const before = await commands();
    await work();
    await new Promise((r) => setTimeout(r, 200)); // anything the flood set off later would show now
    const after = await commands();
    const delta: Record<string, number> = {};
    for (const [name, n] of after) if (n !== (before.get(name) ?? 0)) delta[name] = n - (before.get(name) ?? 0);
    return delta;
  }

  async function quiet(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const a = await commands();
      await new Promise((r) => setTimeout(r, 150));
      const b = await commands();
      if ([...b].every(([name, n]) => a.get(name) === n)) return;
    }
    throw new Error('the server never went quiet');
  }

  it('an anonymous socket flooding gift:send is told UNAUTHORIZED each time, and Redis runs nothing', async () => {
    const anonymous = await s.connect();
    const acks: { ok: boolean; error?: { code: string } }[] = [];
    const ran = await commandsDuring(async () => {
      const sends = Array.from({ length: 2_000 }, () =>
        emitAck(anonymous, 'gift:send', { streamId, giftId: 'rose', idempotencyKey: randomUUID() }),
      );
      acks.push(...(await Promise.all(sends)));
    });
    expect(new Set(acks.map((a) => a.error?.code))).toEqual(new Set(['UNAUTHORIZED']));
    expect(ran).toEqual({});
  });

  it('an anonymous socket flooding stream:join and stream:leave past its budget is RATE_LIMITED, and Redis runs nothing', async () => {
    const anonymous = await s.connect();
    const within = await Promise.all(
      Array.from({ length: BURST }, (_, i) => emitAck(anonymous, i % 2 ? 'stream:leave' : 'stream:join', { streamId })),
    );
    expect(within.every((a) => a.ok)).toBe(true);
    const acks: { ok: boolean; error?: { code: string } }[] = [];
    const ran = await commandsDuring(async () => {
      const flood = Array.from({ length: 1_000 }, (_, i) =>
        emitAck(anonymous, i % 2 ? 'stream:leave' : 'stream:join', { streamId }),
      );
      acks.push(...(await Promise.all(flood)));
    });
    expect(acks.filter((a) => a.error?.code === 'RATE_LIMITED')).toHaveLength(1_000);
    expect(ran).toEqual({});
  });

  it('a signed-in sender flooding gift:send past the socket budget is RATE_LIMITED in memory: no command, no coin', async () => {
    const viewer = await fan(s, 1_000);
    // the budget spent on sends to streams that do not exist (answered NOT_FOUND after reading Redis)
    const within = await Promise.all(Array.from({ length: BURST }, () => send(viewer.socket, randomUUID(), 'rose')));
    expect(within.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(Array(BURST).fill('NOT_FOUND'));
    const acks: Awaited<ReturnType<typeof send>>[] = [];
    const ran = await commandsDuring(async () => {
      acks.push(...(await Promise.all(Array.from({ length: 500 }, () => send(viewer.socket, streamId, 'rose')))));
    });
    expect(acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(500);
    expect(ran).toEqual({});
    const wallet = (await s.request('GET', '/v1/wallet', { token: viewer.token })).body;
    expect(wallet).toMatchObject({ coins: 1_000, heldCoins: 0 });
  });

  it('the story can see commands: a joining watcher and an accepted gift do cost some (run last: gifts wake the streak poller)', async () => {
    const viewer = await fan(s, 10);
    const join = await commandsDuring(() => emitAck(viewer.socket, 'stream:join', { streamId }));
    expect(Object.keys(join).length).toBeGreaterThan(0);
    const gift = await commandsDuring(() => send(viewer.socket, streamId, 'rose'));
    // the wallet phase, the room phase, the boards step (a script's first run on a fresh server is an EVAL)
    expect((gift.evalsha ?? 0) + (gift.eval ?? 0)).toBeGreaterThanOrEqual(3);
    // the socket keeps its sender's record: the next gift reads no account (the wallet phase checks it in its slot)
    expect(gift.hgetall).toBeGreaterThan(0);
    const next = await commandsDuring(() => send(viewer.socket, streamId, 'rose'));
    expect((next.evalsha ?? 0) + (next.eval ?? 0)).toBeGreaterThanOrEqual(3);
    expect(next.hgetall ?? 0).toBe(gift.hgetall! - 1);
  });
});
