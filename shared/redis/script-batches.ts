import { Cluster, type Redis } from 'ioredis';
import { loadScriptDefs, SCRIPTS, script, type ScriptCall, type ScriptName } from './scripts';
import { SlotBatcher } from './slot-batcher';

/**
 * Micro-batching of a per-gift script by slot (docs/ARCHITECTURE.md, "The life of a gift"): the calls that arrive
 * together for one slot (one stream's room, one creator's boards) go to Redis as one call of the batch script, which
 * runs the same per-gift Lua function (lua/lib/) over each gift in turn, so every gift still gets its own answer,
 * idempotent by its own marker, in the contract's order of errors. A lone call runs the single script unchanged.
 *
 * The batch script takes every gift's KEYS and ARGV packed (packBatch: what they share, once); it answers one reply
 * per gift.
 */

/** Gifts one batch call carries at most: a Lua call blocks its Redis, so a batch stays a few milliseconds long. */
export const MAX_GIFTS_PER_CALL = 64;

type Args = (string | number)[];

const batchers = new WeakMap<object, Map<ScriptName, SlotBatcher<Args, unknown[]>>>();

/**
 * What this process sent, by single script (by batch script for one with no single form): Redis calls and the gifts
 * they carried (metrics, stories).
 */
export const batchCounts = new Map<ScriptName, { calls: number; gifts: number; batches: number }>();

function count(single: ScriptName, gifts: number): void {
  const c = batchCounts.get(single) ?? { calls: 0, gifts: 0, batches: 0 };
  c.calls += 1;
  c.gifts += gifts;
  if (gifts > 1) c.batches += 1;
  batchCounts.set(single, c);
}

/** The number of KEYS of a script from its file name (`<name>-<numberOfKeys>.lua`). */
export function keysOf(name: ScriptName): number {
  const m = /-(\d+)\.lua$/.exec(SCRIPTS[name]);
  if (!m) throw new Error(`${SCRIPTS[name]} has no fixed number of keys`);
  return Number(m[1]);
}

/** Whether Redis is one server, where a script may touch any key (a Redis Cluster keeps each call in one slot). */
export function isSingleRedis(redis: Redis | Cluster): boolean {
  return !(redis instanceof Cluster);
}

/**
 * The batching group of a call for `slot`: on a Redis Cluster a batch must stay in one slot; a single Redis runs a
 * script over any keys, so there every call of a phase goes in one batch, whatever its slot.
 */
function groupOf(redis: Redis | Cluster, slot: string): string {
  return isSingleRedis(redis) ? '*' : slot;
}

/** How a batch script is called; `single`, when there is one, runs a lone call, and names the calls' counts. */
interface BatchShape {
  single: ScriptName | null;
  batch: ScriptName;
  keysPerCall: number;
}

/** One Redis call for these calls (each its KEYS then its ARGV): `single` alone, or `batch`; the raw replies. */
async function callChunk(deps: { redis: Redis | Cluster }, shape: BatchShape, calls: Args[]): Promise<unknown[][]> {
  count(shape.single ?? shape.batch, calls.length);
  if (calls.length === 1 && shape.single) return [(await script(deps.redis, shape.single)(...calls[0]!)) as unknown[]];
  const { keys, argv } = packBatch(shape.batch, shape.keysPerCall, calls);
  return (await runScriptWithKeys(deps.redis, shape.batch, keys, argv)) as unknown[][];
}

/**
 * A batch script's KEYS and ARGV for these calls (each the single script's KEYS then its ARGV), packed as
 * lua/lib/batch.lua reads them: a position with the same value in every call goes once, the others once per call.
 * The gifts of one room share most of their keys and arguments, and every value sent costs the server its encoding,
 * the wire its bytes and Redis its parsing. `varies` marks values that must be sent per call even when equal (the
 * load tests' `__rand_int__`, which redis-benchmark replaces per occurrence).
 */
export function packBatch(
  batch: ScriptName,
  keysPerCall: number,
  calls: readonly Args[],
  varies: (value: string | number) => boolean = () => false,
): { keys: Args; argv: Args } {
  const first = calls[0]!;
  const width = first.length;
  if (calls.some((c) => c.length !== width)) throw new Error(`${batch}: calls of different shapes`);
  const varying: number[] = [];
  for (let p = 0; p < width; p++) {
    const v = first[p]!;
    if (varies(v) || calls.some((c) => c[p] !== v)) varying.push(p);
  }
  const varyingKeys = varying.filter((p) => p < keysPerCall);
  const varyingArgs = varying.filter((p) => p >= keysPerCall);
  const keys: Args = [];
  const argv: Args = [keysPerCall, width - keysPerCall, calls.length, varyingKeys.length, varyingArgs.length];
  for (const p of varyingKeys) argv.push(p + 1);
  for (const p of varyingArgs) argv.push(p - keysPerCall + 1);
  let next = 0; // the shared values, in position order
  for (let p = 0; p < width; p++) {
    if (p === varying[next]) next++;
    else (p < keysPerCall ? keys : argv).push(first[p]!);
  }
  for (const c of calls) {
    for (const p of varyingKeys) keys.push(c[p]!);
    for (const p of varyingArgs) argv.push(c[p]!);
  }
  return { keys, argv };
}

/** The batcher of `label` on this connection; `shapeOf` is read when it is made, on the first call. */
function batcherOf(
  deps: { redis: Redis | Cluster },
  label: ScriptName,
  shapeOf: () => BatchShape,
): SlotBatcher<Args, unknown[]> {
  let byScript = batchers.get(deps.redis);
  if (!byScript) {
    byScript = new Map();
    batchers.set(deps.redis, byScript);
  }
  let batcher = byScript.get(label);
  if (!batcher) {
    const shape = shapeOf();
    batcher = new SlotBatcher<Args, unknown[]>({
      max: MAX_GIFTS_PER_CALL,
      flush: (_slot, calls) => callChunk(deps, shape, calls),
    });
    byScript.set(label, batcher);
  }
  return batcher;
}

const shapeOf = (single: ScriptName, batch: ScriptName): BatchShape => ({ single, batch, keysPerCall: keysOf(single) });

/**
 * Runs `single` with `args` (its KEYS then its ARGV), batched with the other calls for `slot` made meanwhile into one
 * call of `batch`. Answers `single`'s reply, as strings.
 */
export async function runBatched(
  deps: { redis: Redis | Cluster },
  single: ScriptName,
  batch: ScriptName,
  slot: string,
  args: Args,
): Promise<string[]> {
  const batcher = batcherOf(deps, single, () => shapeOf(single, batch));
  return strings(await batcher.run(groupOf(deps.redis, slot), args));
}

/**
 * Runs `batch`, a script with no single form, over `args` (`keysPerCall` KEYS then its ARGV), batched with the other
 * calls made meanwhile (a single Redis: one group). Answers this call's reply as Redis gave it.
 */
export function runBatchedOnly(
  deps: { redis: Redis | Cluster },
  batch: ScriptName,
  keysPerCall: number,
  args: Args,
): Promise<unknown[]> {
  const batcher = batcherOf(deps, batch, () => ({ single: null, batch, keysPerCall }));
  return batcher.run(groupOf(deps.redis, ''), args);
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
  const shape = shapeOf(single, batch);
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
          shape,
          chunk.map((x) => calls[x]!.args),
        );
        chunk.forEach((x, j) => (answers[x] = strings(replies[j]!)));
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
