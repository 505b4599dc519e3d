import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Cluster, type Redis } from 'ioredis';
import { GiftwireError, isErrorCode } from '../contracts/errors';

/**
 * Loads every `lua/<name>-<numberOfKeys>.lua` as an ioredis command named in camelCase (`gift-hold-6.lua`
 * -> `redis.giftHold(...)`). A line `-- @include lib/<file>.lua` is replaced by that file, so helpers shared
 * by several scripts are written once. Every script is listed in SCRIPTS: callers name one by that type, and
 * loading fails when the folder and the list disagree. A batch script, whose number of keys depends on how many
 * items it carries, is named `<name>-n.lua`: its caller passes the number of keys first (ioredis's convention).
 *
 * Return convention of every script: an array whose first element is a status string:
 *   'OK' (then the payload), 'REPLAY' (an idempotent repeat; the stored payload follows), 'STALE' (the caller's
 *   view is out of date: re-read and retry), or one of the API error codes (then an optional detail).
 */
const LUA_DIR = path.join(__dirname, 'lua');

/** Every script: its command name -> its file (`<name>-<numberOfKeys>.lua`). */
export const SCRIPTS = {
  battleAccept: 'battle-accept-1.lua',
  battleClose: 'battle-close-2.lua',
  battleInvite: 'battle-invite-1.lua',
  battleRespond: 'battle-respond-1.lua',
  chargebackClawRecord: 'chargeback-claw-record-2.lua',
  chargebackClawback: 'chargeback-clawback-3.lua',
  chargebackFence: 'chargeback-fence-1.lua',
  chargebackFinish: 'chargeback-finish-2.lua',
  chargebackOpen: 'chargeback-open-5.lua',
  chargebackVoid: 'chargeback-void-6.lua',
  creatorLiveClaim: 'creator-live-claim-1.lua',
  creatorRank: 'creator-rank-n.lua',
  giftAcceptBatch: 'gift-accept-batch-n.lua',
  giftBoards: 'gift-boards-12.lua',
  giftBoardsBatch: 'gift-boards-batch-n.lua',
  giftBoardsUnapply: 'gift-boards-unapply-11.lua',
  giftCredit: 'gift-credit-4.lua',
  giftCreditBatch: 'gift-credit-batch-n.lua',
  giftHold: 'gift-hold-6.lua',
  giftHoldBatch: 'gift-hold-batch-n.lua',
  giftRoom: 'gift-room-11.lua',
  giftRoomBatch: 'gift-room-batch-n.lua',
  giftSettle: 'gift-settle-4.lua',
  giftSettleBatch: 'gift-settle-batch-n.lua',
  giftUnapply: 'gift-unapply-8.lua',
  giftVoid: 'gift-void-4.lua',
  idemUnlock: 'idem-unlock-1.lua',
  lbPage: 'lb-page-2.lua',
  payoutRequest: 'payout-request-7.lua',
  payoutResolve: 'payout-resolve-4.lua',
  payoutReview: 'payout-review-3.lua',
  pushGate: 'push-gate-1.lua',
  recharge: 'recharge-7.lua',
  rechargeAbandon: 'recharge-abandon-3.lua',
  rechargeIntent: 'recharge-intent-3.lua',
  streamEnd: 'stream-end-3.lua',
  streamBattle: 'stream-battle-1.lua',
  streamStart: 'stream-start-2.lua',
  walletLimit: 'wallet-limit-1.lua',
  // live experience (#17): goals and streak ends
  goalCreate: 'goal-create-3.lua',
  goalEnd: 'goal-end-2.lua',
  streakClaim: 'streak-claim-3.lua',
  // webhooks (issue #18)
  webhookDeliveryAttempt: 'webhook-delivery-attempt-1.lua',
  webhookDeliveryOpen: 'webhook-delivery-open-2.lua',
} as const;

export type ScriptName = keyof typeof SCRIPTS;

function expandIncludes(source: string, seen: Set<string> = new Set()): string {
  return source.replace(/^--\s*@include\s+(\S+)\s*$/gm, (_line, rel: string) => {
    if (seen.has(rel)) return '';
    seen.add(rel);
    return expandIncludes(readFileSync(path.join(LUA_DIR, rel), 'utf8'), seen);
  });
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export interface ScriptDef {
  command: ScriptName;
  /** undefined: the caller passes it first (a `-n.lua` batch script). */
  numberOfKeys: number | undefined;
  lua: string;
}

export function loadScriptDefs(): ScriptDef[] {
  const files = readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'));
  const listed = new Set<string>(Object.values(SCRIPTS));
  const unlisted = files.filter((f) => !listed.has(f));
  const missing = [...listed].filter((f) => !files.includes(f));
  if (unlisted.length + missing.length > 0) {
    throw new Error(`lua/ and SCRIPTS disagree: unlisted ${unlisted.join(', ')}; missing ${missing.join(', ')}`);
  }
  return (Object.entries(SCRIPTS) as [ScriptName, string][]).map(([command, file]) => {
    const m = /^(.+)-(\d+|n)\.lua$/.exec(file);
    if (!m || camel(m[1]!) !== command) throw new Error(`Lua script ${file} must be named <name>-<numberOfKeys>.lua`);
    return {
      command,
      numberOfKeys: m[2] === 'n' ? undefined : Number(m[2]),
      lua: expandIncludes(readFileSync(path.join(LUA_DIR, file), 'utf8')),
    };
  });
}

let defs: ScriptDef[] | undefined;

export function registerScripts(redis: Redis | Cluster): void {
  defs ??= loadScriptDefs();
  for (const d of defs) redis.defineCommand(d.command, { numberOfKeys: d.numberOfKeys, lua: d.lua });
}

/**
 * Readiness: every script is in Redis's script cache, loading the missing ones (an empty cache after a Redis
 * restart is normal: ioredis falls back to EVAL; loading them here makes a script missing from dist/ show).
 * Returns how many were loaded.
 */
export async function ensureScriptsLoaded(redis: Redis | Cluster): Promise<number> {
  defs ??= loadScriptDefs();
  if (defs.length === 0) throw new Error(`no Lua scripts in ${LUA_DIR}`);
  const all = defs;
  const shas = all.map((d) => createHash('sha1').update(d.lua).digest('hex'));
  // each master of a cluster keeps its own script cache
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let loaded = 0;
  for (const node of nodes) {
    const exists = (await node.script('EXISTS', ...shas)) as number[];
    const missing = all.filter((_d, i) => exists[i] !== 1);
    for (const d of missing) await node.script('LOAD', d.lua);
    loaded += missing.length;
  }
  return loaded;
}

/** Script commands are added by defineCommand at run time; callers reach them through `script(redis, name)`. */
export type ScriptCommands = {
  [command: string]: unknown;
};

export type ScriptCall = (...args: (string | number)[]) => Promise<unknown[]>;

export function script(redis: Redis | Cluster, command: ScriptName): ScriptCall {
  const fn = (redis as unknown as Record<string, ScriptCall | undefined>)[command];
  if (typeof fn !== 'function') throw new Error(`Lua script ${command} is not registered`);
  return fn.bind(redis);
}

export type ScriptResult = { status: 'OK' | 'REPLAY'; payload: unknown[] } | { status: 'STALE'; payload: unknown[] };

/**
 * Maps a script's status to the API: OK/REPLAY/STALE are returned, API error codes are thrown as GiftwireError.
 * This is the one place where Lua return codes become error codes.
 */
export function interpret(result: unknown[]): ScriptResult {
  const [status, ...payload] = result as [string, ...unknown[]];
  if (status === 'OK' || status === 'REPLAY' || status === 'STALE') return { status, payload };
  if (isErrorCode(status)) {
    const detail = payload[0];
    throw new GiftwireError(status, typeof detail === 'string' && detail.length > 0 ? detail : undefined);
  }
  throw new Error(`Lua script returned an unknown status: ${String(status)}`);
}
