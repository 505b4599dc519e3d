import { GiftwireError } from '../contracts/errors';
import { userShard } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import { crashPoint } from './crash-points';
import { countOnCreatorRankings } from './creator-rankings';
import type { Deps } from './deps';
import { flagLinkedGift } from './fraud';
import { finishGift, heldGiftOf, type HeldGift } from './gift-room';

export { voidGift, type VoidOutcome } from './gift-room';

/**
 * Settlement: posting a held gift's money, split by owner (docs/ARCHITECTURE.md, "Settlement"):
 *   1. the creator rankings (one platform slot per period: creator-rankings.ts), once per gift by a marker there;
 *   2. gift-credit (the creator's slot): the creator receives the coins and the diamonds they earn; the credit
 *      record, keyed by gift event id, is the marker that makes a second credit a no-op;
 *   3. gift-settle (the sender's slot): held -> spent, the gift marked settled, out of the outbox shard.
 * A crash between 1 and 3 leaves the gift held and in the outbox: the sweeper enqueues it again, 1 counts only what
 * it had not, 2 answers REPLAY with the diamonds it credited, 3 posts. Exactly once in effect, whatever BullMQ
 * redelivers.
 *
 * Gifts found by the sweeper may never have finished their room phase (the accepting process died after the wallet
 * phase): those are settled with `finish`, which first runs the room phase and the creator's boards (idempotent by
 * gift event id), or voids the gift when the room refuses it.
 */

export type SettleOutcome =
  /** This call posted the gift. */
  | 'settled'
  /** Someone posted it before: nothing moved. */
  | 'already-settled'
  /** It was voided (now, because its room refused it, or before): nothing to post. */
  | 'voided'
  /** No such gift record. */
  | 'missing';

export interface SettleResult {
  /** The gift event's id. */
  giftEventId: string;
  outcome: SettleOutcome;
  /** Diamonds the creator earned with this gift (0 unless settled, now or before). */
  diamonds: number;
  /**
   * The goal this call's room phase counted the gift in (only when `finish` ran it first): the caller announces it,
   * `reached` when this gift reached it.
   */
  goal?: { streamId: string; goalId: string; reached: boolean };
}

export interface SettleOptions {
  /** Run the room phase first (gifts the sweeper found: their accepting process may have died before it). */
  finish?: boolean;
}

/** Settles one gift. A second call is a no-op. */
export async function settleGift(deps: Deps, giftEventId: string, opts: SettleOptions = {}): Promise<SettleResult> {
  const [result] = await settleGifts(deps, [giftEventId], opts);
  return result!;
}

/** Settles many gifts (their commands share the connection's auto-pipeline). Results are in the order given. */
export async function settleGifts(
  deps: Deps,
  giftEventIds: readonly string[],
  opts: SettleOptions = {},
): Promise<SettleResult[]> {
  return Promise.all(giftEventIds.map((id) => settleOne(deps, id, opts)));
}

async function settleOne(deps: Deps, giftEventId: string, opts: SettleOptions): Promise<SettleResult> {
  const record = await deps.redis.hgetall(deps.keys.gift(giftEventId));
  const gift = heldGiftOf(record);
  let goal: SettleResult['goal'];
  const done = (outcome: SettleOutcome, diamonds = 0): SettleResult =>
    goal ? { giftEventId, outcome, diamonds, goal } : { giftEventId, outcome, diamonds };
  if (!gift) return done('missing');
  if (record.status === 'settled') return done('already-settled', Number(record.diamonds ?? 0));
  if (record.status === 'voided') return done('voided');
  if (opts.finish) {
    try {
      const room = await finishGift(deps, gift);
      if (room.firstRun && room.goalId) {
        goal = { streamId: gift.target.id, goalId: room.goalId, reached: room.reachedGoal };
      }
    } catch (err) {
      if (err instanceof GiftwireError && err.code !== 'UNAVAILABLE' && err.code !== 'INTERNAL') {
        return done('voided'); // the room refused it: finishGift voided the hold
      }
      throw err;
    }
  }
  // before the credit: a flagged creator's payouts wait in review before these diamonds can be drawn on
  await flagLinkedGift(deps, gift);
  // before the settle, whose REPLAY ends a rerun early; before the credit too, so that the credit and the settle stay
  // back to back (a gift a chargeback voids after this is taken off the rankings by the chargeback)
  await countOnCreatorRankings(deps, gift);
  crashPoint(deps, 'ranked');
  const diamonds = await credit(deps, gift);
  if (diamonds === null) return done('voided'); // a chargeback fenced it: it is being voided, never credited
  const r = interpret(
    await script(deps.redis, 'giftSettle')(
      deps.keys.gift(giftEventId),
      deps.keys.wallet(gift.senderId),
      deps.keys.outbox(userShard(gift.senderId)),
      giftEventId,
      gift.senderId,
      diamonds,
    ),
  );
  if (r.status === 'OK') return done('settled', diamonds);
  if (r.status === 'REPLAY') {
    const [status, stored] = r.payload as [string, string];
    return status === 'settled' ? done('already-settled', Number(stored)) : done('voided');
  }
  // gift records are immutable apart from their status: a STALE answer means the record was tampered with
  throw new GiftwireError('INTERNAL', `gift ${giftEventId} changed sender during settlement`);
}

/** The creator's half: credited once per gift event id; returns the diamonds it earned, or null when fenced. */
async function credit(deps: Deps, gift: HeldGift): Promise<number | null> {
  const k = deps.keys;
  const { num, den } = deps.config.diamondRate;
  const r = interpret(
    await script(deps.redis, 'giftCredit')(
      k.credit(gift.creatorId, gift.giftEventId),
      k.wallet(gift.creatorId),
      k.txs(gift.creatorId),
      k.earningsHold(gift.creatorId),
      gift.giftEventId,
      gift.senderId,
      gift.totalCoins,
      num,
      den,
      deps.config.earningsHoldSec * 1000,
    ),
  );
  return r.status === 'STALE' ? null : Number(r.payload[0]);
}
