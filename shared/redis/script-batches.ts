import type { Cluster, Redis } from 'ioredis';
import { loadScriptDefs, SCRIPTS, script, type ScriptCall, type ScriptName } from './scripts';
import { SlotBatcher } from './slot-batcher';

/**
 * Micro-batching of a per-gift script by slot (docs/ARCHITECTURE.md, "The life of a gift"): the calls that arrive
 * together for one slot (one stream's room, one creator's boards) go to Redis as one call of the batch script, which
 * runs the same per-gift Lua function (lua/lib/) over each gift in turn, so every gift still gets its own answer,
 * idempotent by its own marker, in the contract's order of errors. A lone call runs the single script unchanged.
 *
 * The batch script takes the single script's KEYS of every gift one after the other, then ARGV: keys per gift,
 * arguments per gift, and every gift's ARGV one after the other; it answers one reply per gift.
 */

/** Gifts one batch call carries at most: a Lua call blocks its Redis, so a batch stays a few milliseconds long. */
export const MAX_GIFTS_PER_CALL = 64;

type Args = (string | number)[];

const batchers = new WeakMap<object, Map<ScriptName, SlotBatcher<Args, string[]>>>();

/** What this process sent, by single script: Redis calls and the gifts they carried (metrics, stories). */
export const batchCounts = new Map<ScriptName, { calls: number; gifts: number; batches: number }>();

function count(single: ScriptName, gifts: number): void {
  const c = batchCounts.get(single) ?? { calls: 0, gifts: 0, batches: 0 };
  c.calls += 1;
  c.gifts += gifts;
  if (gifts > 1) c.batches += 1;
  batchCounts.set(single, c);
}

/** The number of KEYS of a script from its file name (`<name>-<numberOfKeys>.lua`). */
function keysOf(name: ScriptName): number {
  const m = /-(\d+)\.lua$/.exec(SCRIPTS[name]);
  if (!m) throw new Error(`${SCRIPTS[name]} has no fixed number of keys`);
  return Number(m[1]);
}

/**
 * Runs `single` with `args` (its KEYS then its ARGV), batched with the other calls for `slot` made meanwhile into one
 * call of `batch`. Answers `single`'s reply, as strings.
 */
export function runBatched(
  deps: { redis: Redis | Cluster },
  single: ScriptName,
  batch: ScriptName,
  slot: string,
  args: Args,
) {
  let byScript = batchers.get(deps.redis);
  if (!byScript) {
    byScript = new Map();
    batchers.set(deps.redis, byScript);
  }
  let batcher = byScript.get(single);
  if (!batcher) {
    const nk = keysOf(single);
    batcher = new SlotBatcher<Args, string[]>({
      max: MAX_GIFTS_PER_CALL,
      flush: async (_slot, calls) => {
        count(single, calls.length);
        if (calls.length === 1) return [strings(await script(deps.redis, single)(...calls[0]!))];
        const perGift = calls[0]!.length - nk;
        if (calls.some((c) => c.length !== nk + perGift)) throw new Error(`${single}: calls of different shapes`);
        const keys = calls.flatMap((c) => c.slice(0, nk));
        const argv = calls.flatMap((c) => c.slice(nk));
        const replies = await batchCommand(deps.redis, batch, keys.length)(...keys, nk, perGift, ...argv);
        return replies.map((r) => strings(r as unknown[]));
      },
    });
    byScript.set(single, batcher);
  }
  return batcher.run(slot, args);
}

const strings = (r: unknown[]) => r.map((v) => String(v));

let batchLua: Map<ScriptName, string> | undefined;

/**
 * The batch script as a command of `numberOfKeys` keys, defined on the connection at first use, so that the first
 * argument is a key (ioredis routes a cluster command by it): each batch size is its own command, one Lua source, one
 * script in Redis's cache.
 */
function batchCommand(redis: Redis | Cluster, batch: ScriptName, numberOfKeys: number): ScriptCall {
  const name = `${batch}Of${numberOfKeys}`;
  const commands = redis as unknown as Record<string, ScriptCall | undefined>;
  if (typeof commands[name] !== 'function') {
    batchLua ??= new Map(loadScriptDefs().map((d) => [d.command, d.lua]));
    redis.defineCommand(name, { numberOfKeys, lua: batchLua.get(batch)! });
    // a batch is already one command for many gifts; ioredis's cluster auto-pipelines lose the replies of scripts
    // defined after the connection opened (seen as "results[i] is not iterable"), so batches go on their own
    const ignored = (redis.options.autoPipeliningIgnoredCommands ??= []);
    ignored.push(name);
  }
  return commands[name]!.bind(redis);
}
