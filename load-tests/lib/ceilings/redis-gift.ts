import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { testConfig } from '../../../shared/config';
import { createLogger } from '../../../shared/logger';
import { createRedis, quitWhenReady } from '../../../shared/redis/client';
import { createKeys } from '../../../shared/redis/keys';
import { startLocalRedis } from '../../../shared/redis/local-server';
import { loadScriptDefs, script } from '../../../shared/redis/scripts';
import { createUser } from '../../../shared/domain/users';
import { startStream } from '../../../shared/domain/streams';
import { giftAcceptArgs } from '../../../shared/domain/gifts';
import type { Deps } from '../../../shared/domain/deps';
import type { User } from '../../../shared/contracts/users';
import { freePort } from '../../../shared/testing/free-port';

/**
 * Raw ceiling of the atomic phase: `redis-benchmark` running EVALSHA of the real gift-accept script with the keys
 * and arguments Giftwire passes (giftAcceptArgs), against a fresh redis-server with Giftwire's settings (AOF on,
 * everysec). The stream is live and in an active battle, and its leaderboards already hold `senders` members, so
 * each call does the full work of a gift in a war. `__rand_int__` makes every idempotency key and gift id new.
 */
export interface RedisGiftCeiling {
  script: string;
  runs: Array<{
    clients: number;
    pipeline: number;
    requests: number;
    rps: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    accepted: number;
  }>;
  command: string;
}

export async function redisGiftCeiling(
  opts: { requests?: number; senders?: number; runs?: Array<{ clients: number; pipeline: number }> } = {},
): Promise<RedisGiftCeiling> {
  const def = loadScriptDefs().find((d) => d.command === 'giftAccept');
  if (!def) throw new Error('no gift-accept-*.lua script');
  const requests = opts.requests ?? 100_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-bench-redis-'));
  const redisServer = await startLocalRedis({ port: await freePort(), dir, quiet: true });
  const config = testConfig({ redisUrl: redisServer.url, keyPrefix: 'bench' });
  const deps: Deps = {
    config,
    redis: createRedis(redisServer.url),
    keys: createKeys('bench'),
    log: createLogger('silent', 'bench'),
  };
  try {
    const now = Date.now();
    const { keys, redis } = deps;
    const creator = await createUser(deps, { displayName: 'bench creator', birthDate: '1990-01-01', verified: true });
    const opponent = await createUser(deps, { displayName: 'bench opponent', birthDate: '1990-01-01', verified: true });
    const stream = await startStream(deps, creator.id, 'bench', now);
    const other = await startStream(deps, opponent.id, 'bench opponent', now);
    // An active battle, written as the data model describes it (docs/ARCHITECTURE.md), so each gift also scores.
    const battleId = randomUUID();
    await redis.hset(keys.battle(battleId), {
      id: battleId,
      status: 'active',
      aStream: stream.id,
      bStream: other.id,
      aCreator: creator.id,
      bCreator: opponent.id,
      durationSec: 600,
      createdAt: now,
      startedAt: now,
      endsAt: now + 3_600_000,
      aScore: 0,
      bScore: 0,
    });
    await redis.hset(keys.stream(stream.id), 'battleId', battleId);
    await redis.hset(keys.stream(other.id), 'battleId', battleId);

    const view = { creatorId: creator.id, battleId };
    const call = (sender: User, idempotencyKey: string, giftEventId: string) =>
      giftAcceptArgs(deps, {
        sender,
        streamId: stream.id,
        giftId: 'rose',
        count: 1,
        idempotencyKey,
        rateLimited: false,
        now,
        unitCoins: 1,
        giftName: 'Rose',
        giftEventId,
        view,
      });
    // Leaderboards as in a war: every sender has sent once.
    const senders: User[] = [];
    for (let i = 0; i < (opts.senders ?? 600); i++) {
      const sender = await createUser(deps, {
        displayName: `bench fan ${i + 1}`,
        birthDate: '1990-01-01',
        verified: true,
      });
      await redis.hset(keys.wallet(sender.id), { coins: 1e12, purchased: 1e12 });
      const [status] = await script(redis, 'giftAccept')(...call(sender, randomUUID(), randomUUID()));
      if (status !== 'OK') throw new Error(`priming gift refused: ${String(status)}`);
      senders.push(sender);
    }
    const sha = (await redis.script('LOAD', def.lua)) as string;
    const args = call(senders[0]!, '__rand_int__', '__rand_int__').map(String);
    const port = new URL(redisServer.url).port;
    const runs: RedisGiftCeiling['runs'] = [];
    for (const run of opts.runs ?? [
      { clients: 50, pipeline: 1 },
      { clients: 50, pipeline: 16 },
    ]) {
      const heldBefore = Number(await redis.hget(keys.wallet(senders[0]!.id), 'held'));
      const csv = await capture('redis-benchmark', [
        '-h',
        '127.0.0.1',
        '-p',
        port,
        '-n',
        String(requests),
        '-c',
        String(run.clients),
        '-P',
        String(run.pipeline),
        '-r',
        '1000000000',
        '--csv',
        'EVALSHA',
        sha,
        String(def.numberOfKeys),
        ...args,
      ]);
      const row = csv
        .trim()
        .split('\n')
        .pop()!
        .split('","')
        .map((x) => x.replace(/"/g, ''));
      const held = Number(await redis.hget(keys.wallet(senders[0]!.id), 'held')) - heldBefore;
      runs.push({
        ...run,
        requests,
        rps: Number(row[1]),
        p50Ms: Number(row[4]),
        p99Ms: Number(row[6]),
        maxMs: Number(row[7]),
        accepted: held,
      });
    }
    return {
      script: `gift-accept-${def.numberOfKeys}.lua`,
      runs,
      command: `redis-benchmark -n ${requests} -c <clients> -P <pipeline> -r 1000000000 --csv EVALSHA <sha of gift-accept> ${def.numberOfKeys} <19 keys> <16 args>`,
    };
  } finally {
    await quitWhenReady(deps.redis);
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 300)}`)),
    );
  });
}
