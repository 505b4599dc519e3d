import { Cluster, type Redis } from 'ioredis';
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
 * The batching group of a call for `slot`: on a Redis Cluster a batch must stay in one slot; a single Redis runs a
 * script over any keys, so there every call of a phase goes in one batch, whatever its slot.
 */
function groupOf(redis: Redis | Cluster, slot: string): string {
  return redis instanceof Cluster ? slot : '*';
}

/** One Redis call for these calls of `single` (each its KEYS then its ARGV): `single` alone, or `batch` for many. */
async function callChunk(deps: { redis: Redis | Cluster }, single: ScriptName, batch: ScriptName, calls: Args[]) {
  count(single, calls.length);
  if (calls.length === 1) return [strings(await script(deps.redis, single)(...calls[0]!))];
  const nk = keysOf(single);
  const perGift = calls[0]!.length - nk;
  if (calls.some((c) => c.length !== nk + perGift)) throw new Error(`${single}: calls of different shapes`);
  const keys = calls.flatMap((c) => c.slice(0, nk));
  const argv = calls.flatMap((c) => c.slice(nk));
  const replies = await runScriptWithKeys(deps.redis, batch, keys, [nk, perGift, ...argv]);
  return replies.map((r) => strings(r as unknown[]));
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
    batcher = new SlotBatcher<Args, string[]>({
      max: MAX_GIFTS_PER_CALL,
      flush: (_slot, calls) => callChunk(deps, single, batch, calls),
    });
    byScript.set(single, batcher);
  }
  return batcher.run(groupOf(deps.redis, slot), args);
}

/**
 * Runs `single` over calls known together (a settlement job's gifts): grouped by slot as runBatched would, at most
 * MAX_GIFTS_PER_CALL per Redis call, the groups in parallel. Answers `single`'s reply for each call, in order.
 */
export async function runEach(
  deps: { redis: Redis | Cluster },
  single: ScriptName,
  batch: ScriptName,
  calls: readonly { slot: string; args: Args }[],
): Promise<string[][]> {
  const groups = new Map<string, number[]>();
  calls.forEach((c, i) => {
    const g = groupOf(deps.redis, c.slot);
    const group = groups.get(g);
    if (group) group.push(i);
    else groups.set(g, [i]);
  });
  const answers: string[][] = new Array<string[]>(calls.length);
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      for (let i = 0; i < indexes.length; i += MAX_GIFTS_PER_CALL) {
        const chunk = indexes.slice(i, i + MAX_GIFTS_PER_CALL);
        const replies = await callChunk(
          deps,
          single,
          batch,
          chunk.map((x) => calls[x]!.args),
        );
        chunk.forEach((x, j) => (answers[x] = replies[j]!));
      }
    }),
  );
  return answers;
}

/** Runs a `-n.lua` script (its number of keys varies by call) with these keys and arguments. */
export async function runScriptWithKeys(
  redis: Redis | Cluster,
  name: ScriptName,
  keys: readonly (string | number)[],
  argv: readonly (string | number)[],
): Promise<unknown[]> {
  return (await batchCommand(redis, name, keys.length)(...keys, ...argv)) as unknown[];
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
