import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { testConfig } from '../../../shared/config';
import { createLogger } from '../../../shared/logger';
import { createRedis, quitWhenReady } from '../../../shared/redis/client';
import { createKeys, mintId, userShard } from '../../../shared/redis/keys';
import { startLocalRedis } from '../../../shared/redis/local-server';
import { packBatch } from '../../../shared/redis/script-batches';
import { loadScriptDefs, script, SCRIPTS, type ScriptName } from '../../../shared/redis/scripts';
import { createUser } from '../../../shared/domain/users';
import { startStream } from '../../../shared/domain/streams';
import { giftHoldArgs } from '../../../shared/domain/gifts';
import { finishGift, roomPhaseArgs, type HeldGift } from '../../../shared/domain/gift-room';
import { redisNow } from '../../../shared/domain/clock';
import type { Deps } from '../../../shared/domain/deps';
import type { User } from '../../../shared/contracts/users';
import { freePort } from '../../../shared/testing/free-port';

/**
 * Raw ceiling of each phase of a gift: `redis-benchmark` running EVALSHA of the real scripts with the keys and
 * arguments Giftwire passes, against a fresh redis-server with Giftwire's settings (AOF on, everysec):
 *   gift-hold-6 (the wallet phase, in the sender's slot; giftHoldArgs) and gift-room-11 (the room phase, in the
 *   stream's slot; the stream live and in an active battle, its boards already holding `senders` members).
 * `__rand_int__` makes every idempotency key and gift event id new, so each call does the full work of a new gift.
 * On a Redis Cluster the two phases of one gift run on the masters of two different slots.
 */
export interface RedisGiftCeiling {
  scripts: string[];
  runs: Array<{
    script: string;
    clients: number;
    pipeline: number;
    requests: number;
    rps: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    accepted: number;
    /** Gifts one call carries (a batch script); absent: one. */
    giftsPerCall?: number;
  }>;
  command: string;
}

/** Gifts per call of the batched forms, about what a busy room's batches carry at a few thousand gifts a second. */
const BATCH = 10;
const BATCHED: Array<[ScriptName, ScriptName]> = [
  ['giftHold', 'giftHoldBatch'],
  ['giftRoom', 'giftRoomBatch'],
];

export async function redisGiftCeiling(
  opts: { requests?: number; senders?: number; runs?: Array<{ clients: number; pipeline: number }> } = {},
): Promise<RedisGiftCeiling> {
  const defs = loadScriptDefs();
  const def = (name: ScriptName) => defs.find((d) => d.command === name)!;
  const requests = opts.requests ?? 100_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-bench-redis-'));
  const redisServer = await startLocalRedis({ port: await freePort(), dir, quiet: true });
  // one fan sends every benchmarked gift: a rate bucket that never empties keeps the wallet phase on its accepting path
  const config = testConfig({ redisUrl: redisServer.url, keyPrefix: 'bench', giftRatePerSec: 1e9, giftBurst: 1e9 });
  const deps: Deps = {
    config,
    redis: createRedis(redisServer.url),
    keys: createKeys('bench'),
    log: createLogger('silent', 'bench'),
  };
  try {
    const { keys, redis } = deps;
    const now = await redisNow(deps);
    const creator = await createUser(deps, { displayName: 'bench creator', birthDate: '1990-01-01', verified: true });
    const opponent = await createUser(deps, { displayName: 'bench opponent', birthDate: '1990-01-01', verified: true });
    const stream = await startStream(deps, creator.id, 'bench');
    const other = await startStream(deps, opponent.id, 'bench opponent');
    // An active battle, written as battle-accept leaves it (docs/ARCHITECTURE.md), so each gift also scores.
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
    });
    for (const sid of [stream.id, other.id]) {
      await redis.hset(keys.stream(sid), { battleId, battleStartedAt: now, battleEndsAt: now + 3_600_000 });
    }

    const rose = { name: 'Rose', coins: 1 };
    const held = (sender: User, giftEventId: string): HeldGift => ({
      giftEventId,
      senderId: sender.id,
      target: { kind: 'stream', id: stream.id },
      creatorId: creator.id,
      giftId: 'rose',
      count: 1,
      totalCoins: 1,
      at: now,
    });
    const holdArgs = (sender: User, idempotencyKey: string, giftEventId: string) =>
      giftHoldArgs(
        deps,
        { sender, streamId: stream.id, giftId: 'rose', count: 1, idempotencyKey },
        held(sender, giftEventId),
        rose,
      );
    // Leaderboards as in a war: every sender has sent once, through both phases.
    const senders: User[] = [];
    for (let i = 0; i < (opts.senders ?? 600); i++) {
      const sender = await createUser(deps, {
        displayName: `bench fan ${i + 1}`,
        birthDate: '1990-01-01',
        verified: true,
      });
      await redis.hset(keys.wallet(sender.id), { coins: 1e12, purchased: 1e12 });
      const giftEventId = mintId(userShard(sender.id));
      const [status] = await script(redis, 'giftHold')(...holdArgs(sender, randomUUID(), giftEventId));
      if (status !== 'OK') throw new Error(`priming gift refused: ${String(status)}`);
      await finishGift(deps, held(sender, giftEventId), battleId);
      senders.push(sender);
    }
    const fan = senders[0]!;
    // the room phase's keys and arguments, as gift-room.ts passes them, with a new gift event id per call
    const roomArgs = roomPhaseArgs(deps, held(fan, '__rand_int__'), battleId, '');
    const phases: Array<{
      name: ScriptName;
      args: (string | number)[];
      accepted: () => Promise<number>;
      giftsPerCall?: number;
    }> = [
      {
        name: 'giftHold',
        args: holdArgs(fan, '__rand_int__', '__rand_int__'),
        accepted: async () => Number(await redis.hget(keys.wallet(fan.id), 'held')),
      },
      {
        name: 'giftRoom',
        args: roomArgs,
        accepted: async () => Number(await redis.hget(keys.stream(stream.id), 'giftCount')),
      },
    ];
    // the same gifts as the server sends them in a gift war: BATCH of one slot in one call of the batch script
    for (const [single, batch] of BATCHED) {
      const one = phases.find((p) => p.name === single);
      if (!one) continue;
      const nk = Number(/-(\d+)\.lua$/.exec(SCRIPTS[single])![1]);
      // packed as the server packs them; each `__rand_int__` stays one per gift, for redis-benchmark to fill
      const calls = Array.from({ length: BATCH }, () => one.args);
      const { keys, argv } = packBatch(batch, nk, calls, (v) => String(v).includes('__rand_int__'));
      phases.push({
        name: batch,
        args: [keys.length, ...keys, ...argv],
        accepted: one.accepted,
        giftsPerCall: BATCH,
      });
    }
    const port = new URL(redisServer.url).port;
    const runs: RedisGiftCeiling['runs'] = [];
    for (const run of opts.runs ?? [
      { clients: 50, pipeline: 1 },
      { clients: 50, pipeline: 16 },
    ]) {
      for (const phase of phases) {
        const d = def(phase.name);
        const sha = (await redis.script('LOAD', d.lua)) as string;
        const before = await phase.accepted();
        const csv = await capture('redis-benchmark', [
          '-h',
          '127.0.0.1',
          '-p',
          port,
          '-n',
          // a batch call carries BATCH gifts: as many gifts, in as many calls fewer
          String(Math.ceil(requests / (phase.giftsPerCall ?? 1))),
          '-c',
          String(run.clients),
          '-P',
          String(run.pipeline),
          '-r',
          '1000000000',
          '--csv',
          'EVALSHA',
          sha,
          ...(d.numberOfKeys === undefined ? [] : [String(d.numberOfKeys)]),
          ...phase.args.map(String),
        ]);
        const row = csv
          .trim()
          .split('\n')
          .pop()!
          .split('","')
          .map((x) => x.replace(/"/g, ''));
        runs.push({
          script: SCRIPTS[phase.name],
          ...run,
          requests: Math.ceil(requests / (phase.giftsPerCall ?? 1)),
          rps: Number(row[1]),
          p50Ms: Number(row[4]),
          p99Ms: Number(row[6]),
          maxMs: Number(row[7]),
          accepted: (await phase.accepted()) - before,
          ...(phase.giftsPerCall ? { giftsPerCall: phase.giftsPerCall } : {}),
        });
      }
    }
    return {
      scripts: phases.map((p) => SCRIPTS[p.name]),
      runs,
      command: `redis-benchmark -n ${requests} -c <clients> -P <pipeline> -r 1000000000 --csv EVALSHA <sha> <numkeys> <keys> <args> (gift-hold-6 and gift-room-11 one gift a call, then their batch scripts ${BATCH} gifts a call)`,
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
