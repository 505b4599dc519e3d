import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import { giftHoldArgs } from '../../../shared/domain/gifts';
import { connect, quitWhenReady } from '../../../shared/redis/client';
import { startLocalRedis, type LocalRedis } from '../../../shared/redis/local-server';
import { packBatch, runScriptWithKeys } from '../../../shared/redis/script-batches';
import { script } from '../../../shared/redis/scripts';
import { freePort } from '../../../shared/testing/free-port';
import { testDeps } from '../../../shared/testing/harness';
import { fundedViewer } from '../../../shared/testing/money';
import { heldGift } from '../../../shared/testing/held-gift';

/**
 * The wallet phase runs on every gift, so what it asks of Redis is part of its design: the sender's wallet is read
 * once and written once, the gift rate's token bucket included (two of the wallet's fields, no key of its own, no
 * expiry), and a refused send only reads. INFO commandstats counts every command a redis-server ran, whoever sent
 * it, so this story has a redis-server of its own and nothing else talking to it.
 */
const RATE = 1;
const BURST = 2;
const KEYS_PER_GIFT = 6; // lua/gift-hold-6.lua

describe('the wallet phase of a gift costs few Redis commands', () => {
  let redis: LocalRedis;
  let dir: string;
  let deps: ReturnType<typeof testDeps>;
  let probe: ReturnType<typeof connect>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'giftwire-hold-commands-'));
    redis = await startLocalRedis({ port: await freePort(), dir, quiet: true });
    deps = testDeps({ redisUrl: redis.url, redisClusterNodes: undefined, giftRatePerSec: RATE, giftBurst: BURST });
    probe = connect(redis.url);
  });
  afterAll(async () => {
    await quitWhenReady(probe);
    await deps.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Commands this redis-server ran during `work`, by name (the probe's own INFO left out). */
  async function commandsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
    const read = async () => {
      const counts = new Map<string, number>();
      for (const m of (await probe.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        if (m[1] !== 'info') counts.set(m[1]!, Number(m[2]));
      }
      return counts;
    };
    const before = await read();
    await work();
    const delta: Record<string, number> = {};
    for (const [name, n] of await read()) if (n !== (before.get(name) ?? 0)) delta[name] = n - (before.get(name) ?? 0);
    return delta;
  }

  /** KEYS then ARGV of one wallet phase of a rose from `sender`, as acceptGift makes them. */
  function holdArgs(sender: User): (string | number)[] {
    const streamId = randomUUID();
    const held = heldGift({ senderId: sender.id, streamId, creatorId: randomUUID() });
    const input = { sender, streamId, giftId: 'rose', count: 1, idempotencyKey: randomUUID() };
    return giftHoldArgs(deps, input, held, { name: 'Rose', coins: 1 });
  }

  /** One wallet phase of a rose from `sender`, alone in its call; its status. */
  async function hold(sender: User): Promise<string> {
    const r = await script(deps.redis, 'giftHold')(...holdArgs(sender));
    return String(r[0]);
  }

  /** The wallet phases of a rose from each of `senders` in one batch call (script-batches.ts); their replies. */
  async function holdBatch(senders: User[]): Promise<string[][]> {
    const { keys, argv } = packBatch('giftHoldBatch', KEYS_PER_GIFT, senders.map(holdArgs));
    const replies = await runScriptWithKeys(deps.redis, 'giftHoldBatch', keys, argv);
    return replies.map((r) => (r as unknown[]).map(String));
  }

  it('an accepted gift: the account, the key, the clock and the wallet read once; the wallet written once', async () => {
    const fan = await fundedViewer(deps, 10);
    expect(await hold(fan)).toBe('OK'); // the script is in Redis's cache from here on
    let status = '';
    const ran = await commandsDuring(async () => {
      status = await hold(fan);
    });
    expect(status).toBe('OK');
    expect(ran).toEqual({
      evalsha: 1,
      hmget: 2, // the account, the wallet (its token bucket included)
      get: 1, // the idempotency key
      time: 1,
      hset: 2, // the wallet (coins, held, the day's spend, txSeq, the bucket), the gift record
      zadd: 2, // the outbox, the history
      set: 1, // the idempotency record
    });
    const wallet = await deps.redis.hgetall(deps.keys.wallet(fan.id));
    expect(wallet).toMatchObject({ coins: '8', held: '2', spentToday: '2', txSeq: '3' });
    expect(Number(wallet.giftRateLevel)).toBeLessThan(BURST * 1000); // two tokens taken, a little refilled
  });

  it('a batch is one instant of Redis time: three fans in one call read the clock once and share their `at`', async () => {
    const fans = [await fundedViewer(deps, 10), await fundedViewer(deps, 10), await fundedViewer(deps, 10)];
    await holdBatch(fans); // the batch script is in Redis's cache from here on
    let replies: string[][] = [];
    const ran = await commandsDuring(async () => {
      replies = await holdBatch(fans);
    });
    expect(replies.map((r) => r[0])).toEqual(['OK', 'OK', 'OK']);
    expect(new Set(replies.map((r) => r[1])).size).toBe(1);
    expect(ran).toEqual({ evalsha: 1, time: 1, hmget: 6, get: 3, hset: 6, zadd: 6, set: 3 });
  });

  it('a refused gift only reads: the rate refusal writes nothing, not even the bucket', async () => {
    const fan = await fundedViewer(deps, 10);
    for (let i = 0; i < BURST; i++) expect(await hold(fan)).toBe('OK');
    const before = await deps.redis.hgetall(deps.keys.wallet(fan.id));
    let status = '';
    const ran = await commandsDuring(async () => {
      status = await hold(fan);
    });
    expect(status).toBe('RATE_LIMITED');
    expect(ran).toEqual({ evalsha: 1, hmget: 2, get: 1, time: 1 });
    expect(await deps.redis.hgetall(deps.keys.wallet(fan.id))).toEqual(before);
  });
});
