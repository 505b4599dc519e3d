import { GiftwireError, isErrorCode, type ErrorCode } from '../contracts/errors';
import { userShard } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';
import { findGift } from './catalog';
import { creatorBoardsOfGift } from './leaderboard-periods';
import { runBatched } from '../redis/script-batches';
import { streamView } from './gift-stream-view';
import { indexStreakStream } from './streaks';
import { newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

/**
 * The phases of a gift after its wallet phase (docs/ARCHITECTURE.md, "The life of a gift"), each in one owner's slot
 * and idempotent by gift event id, so the process that accepted the gift, a client's retry and the settlement's
 * finishing step can all run them and the gift still counts once:
 *   room phase   (the target's slot: lua/gift-room-11.lua)  live and self-gift checks, streak, totals, boards, goal,
 *                                                            battle
 *   boards step  (the creator's slot: lua/gift-boards-12.lua) the creator's hour, day, week, month, all-time boards
 *   void         (the sender's slot: lua/gift-void-4.lua)    the hold released when the room refuses
 */

/** What the room and boards steps need of a held gift: all of it is in its immutable record. */
export interface HeldGift {
  giftEventId: string;
  senderId: string;
  /** What the gift is sent to: a live stream today (the room phase refuses kinds it does not know). */
  target: { kind: 'stream'; id: string };
  /** The target's owner (the stream's creator): the boards step's owner. */
  creatorId: string;
  /** The catalog slug. */
  giftId: string;
  count: number;
  totalCoins: number;
  /** Acceptance time (ms, by Redis TIME in the wallet phase): picks the periods of the creator's boards. */
  at: number;
  /** The sender's display name at acceptance (the streak's end names it); absent: none recorded. */
  senderName?: string;
  /** The catalog gift's name (the streak's end names it); absent: read from the catalog. */
  giftName?: string;
}

export interface RoomVerdict {
  combo: number;
  /** The battle whose score the gift counted towards, if any. */
  battleId: string | null;
  /** The gift's order in its room (the room's own counter). */
  seq: number;
  /** The goal this gift counted in, if any. */
  goalId: string | null;
  /** This gift first brought that goal to its target (stored with the verdict: every rerun answers the same). */
  reachedGoal: boolean;
  /** This call ran the room phase (a rerun answers the stored verdict): it alone announces what the gift did. */
  firstRun: boolean;
}

/** How long a room verdict and a boards marker are kept: far longer than any gift stays unsettled. */
export const PHASE_MARKER_TTL_MS = 7 * 86_400_000;

const REFUSALS: readonly ErrorCode[] = ['NOT_FOUND', 'SELF_GIFT', 'STREAM_NOT_LIVE'];

/** What the wallet phase's call already ran of the later steps (one call on a single Redis: gifts.ts). */
export interface StepsRan {
  /** The room phase's reply (gift-room-11.lua's), run with the stream view the caller read. */
  room: string[];
  /** Whether the boards step counted the gift too. */
  boards: boolean;
}

/**
 * Runs the room phase (or reads its stored verdict) and then the boards step, or goes on from what the wallet phase's
 * call `ran` of them. A refusal voids the hold first and is then thrown, so a refused gift has moved nothing by the
 * time anyone hears of it.
 */
export async function finishGift(
  deps: Deps,
  g: HeldGift,
  battleIdAsRead?: string,
  ran?: StepsRan,
): Promise<RoomVerdict> {
  let battleId = '';
  let goalId = '';
  let r = ran?.room;
  if (!r) {
    const view = await streamView(deps, g.target.id, false);
    battleId = battleIdAsRead ?? view?.battleId ?? '';
    goalId = view?.goalId ?? '';
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!r) {
      await indexStreakStream(deps, g.target.id); // before the room phase may write a streak deadline
      r = await runRoomPhase(deps, g, battleId, goalId);
    }
    if (r[0] === 'STALE') {
      const fresh = await streamView(deps, g.target.id, true);
      battleId = fresh?.battleId ?? '';
      goalId = fresh?.goalId ?? '';
      r = undefined;
      continue;
    }
    const [verdict, combo, battle, seq, goal, reached] = r[0] === 'REPLAY' ? r.slice(1) : r;
    if (verdict !== 'OK') {
      await voidGift(deps, g.giftEventId, g.senderId);
      await streamView(deps, g.target.id, true); // the cached view said live: it is not
      throw new GiftwireError(refusal(verdict));
    }
    if (!ran?.boards) await countOnCreatorBoards(deps, g);
    return {
      combo: Number(combo),
      battleId: battle ? battle : null,
      seq: Number(seq),
      goalId: goal ? goal : null,
      reachedGoal: reached === '1',
      firstRun: r[0] === 'OK',
    };
  }
  throw new GiftwireError('UNAVAILABLE', 'The stream kept changing; try again.');
}

function refusal(verdict: string | undefined): ErrorCode {
  const code = String(verdict);
  if (isErrorCode(code) && REFUSALS.includes(code)) return code;
  throw new Error(`gift-room returned an unknown status: ${code}`);
}

/** The room phase, batched with the other gifts to the same room that arrive meanwhile (script-batches.ts). */
function runRoomPhase(deps: Deps, g: HeldGift, battleId: string, goalId: string): Promise<string[]> {
  return runBatched(deps, 'giftRoom', 'giftRoomBatch', `s:${g.target.id}`, roomPhaseArgs(deps, g, battleId, goalId));
}

/** KEYS and ARGV of lua/gift-room-11.lua, in its header's order. */
export function roomPhaseArgs(deps: Deps, g: HeldGift, battleId: string, goalId: string): (string | number)[] {
  const k = deps.keys;
  const sid = g.target.id;
  const sideBoard = k.lbBattleSide(battleId, sid);
  return [
    k.roomGift(sid, g.giftEventId),
    k.stream(sid),
    k.streaks(sid),
    k.lbStream(sid),
    k.lbMembers(k.lbStream(sid)),
    k.battleSide(battleId, sid),
    sideBoard,
    k.lbMembers(sideBoard),
    k.streaksDue(sid),
    k.goal(sid, goalId),
    webhookOutboxOf(deps, webhookOwner.stream(sid)),
    g.target.kind,
    g.senderId,
    g.count,
    g.totalCoins,
    deps.config.streakGapMs,
    PHASE_MARKER_TTL_MS,
    g.creatorId,
    battleId,
    g.senderName ?? '',
    g.giftId,
    g.giftName ?? findGift(g.giftId)?.name ?? g.giftId,
    g.at,
    goalId,
    newWebhookEventId(),
  ];
}

/** The creator's boards, once per gift (a marker in the creator's slot says it was counted). */
async function countOnCreatorBoards(deps: Deps, g: HeldGift): Promise<void> {
  interpret(await runBoardsStep(deps, g));
}

/**
 * The boards step of one gift (lua/gift-boards-12.lua), batched with the other gifts to the same creator that arrive
 * meanwhile (script-batches.ts); its reply as strings.
 */
export function runBoardsStep(deps: Deps, g: HeldGift): Promise<string[]> {
  return runBatched(deps, 'giftBoards', 'giftBoardsBatch', `c:${g.creatorId}`, boardsStepArgs(deps, g));
}

/** KEYS and ARGV of lua/gift-boards-12.lua, in its header's order: the boards of the hour of `g.at`. */
export function boardsStepArgs(deps: Deps, g: HeldGift): (string | number)[] {
  const k = deps.keys;
  const boards = creatorBoardsOfGift(k, g.creatorId, g.at);
  return [
    k.creatorCounted(g.creatorId, g.giftEventId),
    k.creatorSeq(g.creatorId),
    ...boards.keys,
    g.senderId,
    g.totalCoins,
    PHASE_MARKER_TTL_MS,
    ...boards.expiries,
  ];
}

export type VoidOutcome = 'voided' | 'already-voided';

/**
 * Cancels a held gift: its coins go back to the sender's available coins. A settled gift cannot be voided
 * (CONFLICT); voiding twice is a no-op. What a gift's room phase counted is not rewound: only a gift whose room
 * refused it is voided, and a refusal counted nothing.
 */
export async function voidGift(deps: Deps, giftEventId: string, senderId?: string): Promise<VoidOutcome> {
  const k = deps.keys;
  senderId ??= (await deps.redis.hget(k.gift(giftEventId), 'senderId')) ?? undefined;
  if (!senderId) throw new GiftwireError('NOT_FOUND', 'No such gift.');
  const r = interpret(
    await script(deps.redis, 'giftVoid')(
      k.gift(giftEventId),
      k.wallet(senderId),
      k.outbox(userShard(senderId)),
      k.txs(senderId),
      giftEventId,
      senderId,
    ),
  );
  if (r.status === 'STALE') throw new GiftwireError('INTERNAL', `gift ${giftEventId} changed sender`);
  return r.status === 'OK' ? 'voided' : 'already-voided';
}

/** A gift record (HGETALL of keys.gift) as a HeldGift, or null when there is none. */
export function heldGiftOf(h: Record<string, string>): HeldGift | null {
  if (!h.id || !h.senderId || !h.streamId || !h.creatorId) return null;
  return {
    giftEventId: h.id,
    senderId: h.senderId,
    target: { kind: 'stream', id: h.streamId },
    creatorId: h.creatorId,
    giftId: h.giftId ?? '',
    count: Number(h.count),
    totalCoins: Number(h.totalCoins),
    at: Number(h.at),
    senderName: h.senderName ?? '',
    ...(h.giftName ? { giftName: h.giftName } : {}),
  };
}
