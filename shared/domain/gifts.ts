import { GiftwireError, type ErrorCode } from '../contracts/errors';
import { MAX_GIFT_COUNT } from '../contracts/limits';
import type { GiftEvent } from '../contracts/models';
import { mintId, userShard } from '../redis/keys';
import { interpret, type ScriptResult } from '../redis/scripts';
import { findAccount } from './accounts';
import { findGift } from './catalog';
import type { Deps } from './deps';
import { boardsStepArgs, finishGift, heldGiftOf, roomPhaseArgs, type HeldGift, type StepsRan } from './gift-room';
import { streamView, type StreamView } from './gift-stream-view';
import { isSingleRedis, keysOf, runBatched, runBatchedOnly } from '../redis/script-batches';
import { hourNumber } from './leaderboard-periods';
import type { AcceptedGift, AcceptGiftInput } from './gift-types';
import { isAdult } from './users';

/**
 * A gift, in the contract's order of errors (docs/ARCHITECTURE.md, "The life of a gift"):
 *   1. the stream view (cached): NOT_FOUND, SELF_GIFT and STREAM_NOT_LIVE win over funds and limits;
 *   2. the wallet phase (lua/gift-hold-6.lua, the sender's slot), one call: the account (revoked token, suspension,
 *      exact whatever the caller cached), idempotency, balance, daily limit, the rate (a token bucket), the hold,
 *      the immutable gift record, the sender's outbox shard;
 *   3. the room phase and the creator's boards (gift-room.ts), each idempotent by gift event id. A refusal there
 *      (the stream ended in between) voids the hold before the refusal is answered.
 * On a single Redis, 2 and 3 are one call (holdWithLaterSteps); a Redis Cluster runs each in its own slot.
 * The ack waits for all of it. A process that dies after 2 leaves a held gift in the outbox: the sweeper's
 * settlement finishes it (3, or the void), and a client's retry with the same key finishes it too.
 *
 * The price comes from the catalog, never the caller; the time (`at`, the day, battle windows) from Redis TIME.
 * `sender` may be a cached record (its age is what is used here); the account's revocation and suspension are read
 * again wherever an answer depends on them (the wallet phase, and before a stream refusal, which ranks below them).
 */
export async function acceptGift(deps: Deps, input: AcceptGiftInput): Promise<AcceptedGift> {
  const { sender, streamId, count } = input;
  if (!Number.isInteger(count) || count < 1 || count > MAX_GIFT_COUNT) {
    throw new GiftwireError('VALIDATION_FAILED', `count: must be an integer from 1 to ${MAX_GIFT_COUNT}`);
  }
  if (!isAdult(deps, sender)) throw new GiftwireError('AGE_RESTRICTED', 'You must be an adult to send gifts.');
  const gift = findGift(input.giftId);
  if (!gift) throw new GiftwireError('NOT_FOUND', 'No such gift.');

  const giftEventId = mintId(userShard(sender.id));
  const fingerprint = giftFingerprint(input);
  const view = await streamView(deps, streamId, false);
  try {
    assertGiftable(view, sender.id);
  } catch (err) {
    // identity and suspension rank above the stream's state, and the sender's record may be cached
    await assertSenderMayAct(deps, sender.id, input.tokenIssuedAt);
    // the key's first answer wins over the stream's state: a repeat of a gift sent before the stream ended replays
    const prior = await deps.redis.get(deps.keys.idem(sender.id, input.idempotencyKey));
    if (!prior) throw err;
    const rec = JSON.parse(prior) as { fp: string; res: string };
    if (rec.fp !== fingerprint) throw new GiftwireError('IDEMPOTENCY_CONFLICT');
    return replayed(deps, rec.res, giftEventId);
  }
  const held: HeldGift = {
    giftEventId,
    senderId: sender.id,
    target: { kind: 'stream', id: streamId },
    creatorId: view!.creatorId,
    giftId: gift.id,
    count,
    totalCoins: gift.coins * count,
    at: 0,
    senderName: '', // the name the wallet phase records, read from the account in the sender's slot
    giftName: gift.name,
  };

  let r: ScriptResult;
  let ran: StepsRan | undefined;
  try {
    // batched with the other gifts of the sender's shard that arrive meanwhile (script-batches.ts)
    const args = giftHoldArgs(deps, input, held, gift, fingerprint);
    // the crash hook keeps the wallet phase alone, to leave what a crash between the phases leaves (a Redis Cluster
    // always runs them apart; a single Redis does when the room phase asks for a fresh view)
    if (isSingleRedis(deps.redis) && !deps.config.giftCrashAfterHold) {
      [r, ran] = await holdWithLaterSteps(deps, args, held, view!);
    } else r = interpret(await runBatched(deps, 'giftHold', 'giftHoldBatch', `u${userShard(sender.id)}`, args));
  } catch (err) {
    // funds, limits and rate rank below the stream's state: a stream that ended since we cached it says so
    if (err instanceof GiftwireError && LATE_CODES.includes(err.code)) {
      assertGiftable(await streamView(deps, streamId, true), sender.id);
    }
    throw err;
  }
  if (r.status === 'REPLAY') return replayed(deps, String(r.payload[0]), giftEventId);

  // the crash stories' hook: a real kill, between the phases, as a power cut would leave it
  if (deps.config.giftCrashAfterHold) process.kill(process.pid, 'SIGKILL');
  const [at, coins, heldCoins] = (r.payload as string[]).slice(0, 3).map(Number) as [number, number, number];
  const senderName = String(r.payload[3]);
  held.at = at;
  held.senderName = senderName;
  const room = await finishGift(deps, held, view!.battleId, ran);
  const event: GiftEvent = {
    id: giftEventId,
    streamId,
    sender: { id: sender.id, displayName: senderName },
    giftId: gift.id,
    giftName: gift.name,
    coins: gift.coins,
    count,
    totalCoins: held.totalCoins,
    combo: room.combo,
    at,
  };
  return {
    gift: event,
    wallet: { coins, heldCoins },
    replay: false,
    creatorId: held.creatorId,
    battleId: room.battleId,
    seq: room.seq,
    goalId: room.goalId,
    announceGoalReached: room.firstRun && room.reachedGoal,
  };
}

/** How many KEYS each step's own script takes (lua/gift-accept-batch-n.lua takes them in this order). */
const STEP_KEYS = { hold: keysOf('giftHold'), room: keysOf('giftRoom'), boards: keysOf('giftBoards') };

/**
 * On a single Redis, the wallet phase with the room phase and the boards step in the same call
 * (lua/gift-accept-batch-n.lua), batched with every gift that arrives meanwhile: one Redis call per gift's batch.
 * The boards' keys are chosen for this process's hour; the script counts the gift there only when Redis's clock
 * puts it in that hour, and finishGift does the rest with the gift's own `at`.
 */
export async function holdWithLaterSteps(
  deps: Deps,
  holdArgs: (string | number)[],
  held: HeldGift,
  view: StreamView,
  now = Date.now(),
): Promise<[ScriptResult, StepsRan | undefined]> {
  const steps: [(string | number)[], number][] = [
    [holdArgs, STEP_KEYS.hold],
    // the sender's name and `at` in these are the wallet phase's, decided in the same call
    [roomPhaseArgs(deps, held, view.battleId, view.goalId), STEP_KEYS.room],
    [boardsStepArgs(deps, { ...held, at: now }), STEP_KEYS.boards],
  ];
  // the steps' KEYS, the pollers' set, the steps' ARGV, the hour: copied once, in place (a gift war makes thousands)
  const call: (string | number)[] = [];
  for (const [args, n] of steps) for (let i = 0; i < n; i++) call.push(args[i]!);
  call.push(deps.keys.streakStreams);
  const keysPerCall = call.length;
  for (const [args, n] of steps) for (let i = n; i < args.length; i++) call.push(args[i]!);
  call.push(hourNumber(now));
  const reply = await runBatchedOnly(deps, 'giftAcceptBatch', keysPerCall, call);
  const [hold, room, boards] = reply as [unknown[], unknown[] | null, unknown[] | null];
  return [interpret(hold.map(String)), room ? { room: room.map(String), boards: boards !== null } : undefined];
}

const LATE_CODES: readonly ErrorCode[] = ['INSUFFICIENT_FUNDS', 'SPEND_LIMIT_EXCEEDED', 'RATE_LIMITED'];

function assertGiftable(view: StreamView | null, senderId: string): void {
  if (!view) throw new GiftwireError('NOT_FOUND', 'No such stream.');
  if (view.creatorId === senderId) throw new GiftwireError('SELF_GIFT');
  if (view.status !== 'live') throw new GiftwireError('STREAM_NOT_LIVE');
}

/** What makes two sends with one idempotency key the same request. */
function giftFingerprint(input: AcceptGiftInput): string {
  return `gift|${input.streamId}|${input.giftId}|${input.count}`;
}

/** The account checks of the wallet phase, read afresh: for answers that rank below them but skip that phase. */
async function assertSenderMayAct(deps: Deps, senderId: string, tokenIssuedAt: number | undefined): Promise<void> {
  const account = await findAccount(deps, senderId);
  if (!account) throw new GiftwireError('UNAUTHORIZED', 'The token names no known user.');
  if (tokenIssuedAt !== undefined && tokenIssuedAt <= account.revokedAt) {
    throw new GiftwireError('UNAUTHORIZED', 'The token was revoked.');
  }
  if (account.user.suspended) throw new GiftwireError('ACCOUNT_SUSPENDED');
}

/** KEYS and ARGV of lua/gift-hold-6.lua, in its header's order. */
export function giftHoldArgs(
  deps: Deps,
  input: AcceptGiftInput,
  held: HeldGift,
  gift: { name: string; coins: number },
  fingerprint = giftFingerprint(input),
): (string | number)[] {
  const k = deps.keys;
  const senderId = input.sender.id;
  return [
    k.idem(senderId, input.idempotencyKey),
    k.wallet(senderId),
    k.gift(held.giftEventId),
    k.outbox(userShard(senderId)),
    k.txs(senderId),
    k.user(senderId),
    fingerprint,
    deps.config.idempotencyTtlSec * 1000,
    held.giftEventId,
    senderId,
    held.target.kind,
    held.target.id,
    held.giftId,
    gift.name,
    gift.coins,
    input.count,
    held.creatorId,
    input.tokenIssuedAt ?? '',
    deps.config.giftRatePerSec,
    deps.config.giftBurst,
  ];
}

/**
 * A repeat: the first gift, read from its immutable record, with the wallet its acceptance left. Its room phase is
 * run again (a no-op that answers the stored verdict, or the finishing step when the first process died before it),
 * so a repeat answers exactly what the first send answered: the gift, or the room's refusal.
 */
async function replayed(deps: Deps, res: string, ourId: string): Promise<AcceptedGift> {
  const first = JSON.parse(res) as { id: string; coins: string; held: string };
  const g = await deps.redis.hgetall(deps.keys.gift(first.id));
  const held = heldGiftOf(g);
  if (!held) throw new GiftwireError('INTERNAL', `gift ${first.id} has no record`);
  const room = await finishGift(deps, held);
  const gift: GiftEvent = {
    id: first.id,
    streamId: g.streamId!,
    sender: { id: g.senderId!, displayName: g.senderName! },
    giftId: g.giftId!,
    giftName: g.giftName!,
    coins: Number(g.coins),
    count: Number(g.count),
    totalCoins: Number(g.totalCoins),
    combo: room.combo,
    at: Number(g.at),
  };
  return {
    gift,
    wallet: { coins: Number(first.coins), heldCoins: Number(first.held) },
    // a reply lost on a dropped connection is re-sent by ioredis and answers REPLAY with our own gift: not a repeat
    replay: first.id !== ourId,
    creatorId: held.creatorId,
    battleId: room.battleId,
    seq: room.seq,
    goalId: room.goalId,
    // the first process died before its room phase: this repeat ran it, so it announces what the gift reached
    announceGoalReached: room.firstRun && room.reachedGoal,
  };
}
