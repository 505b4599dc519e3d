import { GiftwireError } from '../contracts/errors';
import { userShard } from '../redis/keys';
import { runEach } from '../redis/script-batches';
import { interpret } from '../redis/scripts';
import { crashPoint } from './crash-points';
import { countOnCreatorRankings } from './creator-rankings';
import type { Deps } from './deps';
import { flagLinkedGifts } from './fraud';
import { finishGift, heldGiftOf, type HeldGift } from './gift-room';
import { newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

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

/**
 * Settles many gifts (a settlement job's), each step for all of them at once: one call for the rankings, one per
 * creator slot for the credits, one per sender slot for the settles (on a single Redis, one each), every gift still
 * idempotent by its own marker. Results are in the order given.
 */
export async function settleGifts(
  deps: Deps,
  giftEventIds: readonly string[],
  opts: SettleOptions = {},
): Promise<SettleResult[]> {
  const results: SettleResult[] = new Array<SettleResult>(giftEventIds.length);
  const goals = new Map<number, NonNullable<SettleResult['goal']>>();
  const done = (i: number, outcome: SettleOutcome, diamonds = 0) => {
    const goal = goals.get(i);
    const giftEventId = giftEventIds[i]!;
    results[i] = goal ? { giftEventId, outcome, diamonds, goal } : { giftEventId, outcome, diamonds };
  };
  const records = await Promise.all(giftEventIds.map((id) => deps.redis.hgetall(deps.keys.gift(id))));
  let held: { i: number; gift: HeldGift }[] = [];
  records.forEach((record, i) => {
    const gift = heldGiftOf(record);
    if (!gift) done(i, 'missing');
    else if (record.status === 'settled') done(i, 'already-settled', Number(record.diamonds ?? 0));
    else if (record.status === 'voided') done(i, 'voided');
    else held.push({ i, gift });
  });
  if (opts.finish) held = await finishAll(deps, held, goals, done);
  // before the credit: a flagged creator's payouts wait in review before these diamonds can be drawn on
  const gifts = held.map((h) => h.gift);
  await flagLinkedGifts(deps, gifts);
  // before the settle, whose REPLAY ends a rerun early; before the credit too, so that the credit and the settle stay
  // back to back (a gift a chargeback voids after this is taken off the rankings by the chargeback)
  await countOnCreatorRankings(deps, gifts);
  crashPoint(deps, 'ranked');
  const credited = await credit(deps, held);
  const toSettle: { i: number; gift: HeldGift; diamonds: number }[] = [];
  held.forEach((h, x) => {
    const diamonds = credited[x];
    if (diamonds === null || diamonds === undefined)
      done(h.i, 'voided'); // fenced by a chargeback: never credited
    else toSettle.push({ ...h, diamonds });
  });
  const replies = await runEach(
    deps,
    'giftSettle',
    'giftSettleBatch',
    toSettle.map(({ gift, diamonds }) => ({
      slot: `u${userShard(gift.senderId)}`,
      args: [
        deps.keys.gift(gift.giftEventId),
        deps.keys.wallet(gift.senderId),
        deps.keys.outbox(userShard(gift.senderId)),
        webhookOutboxOf(deps, webhookOwner.user(gift.senderId)),
        gift.giftEventId,
        gift.senderId,
        diamonds,
        newWebhookEventId(),
      ],
    })),
  );
  toSettle.forEach(({ i, gift, diamonds }, x) => {
    const r = interpret(replies[x]!);
    if (r.status === 'OK') return done(i, 'settled', diamonds);
    if (r.status === 'REPLAY') {
      const [status, stored] = r.payload as [string, string];
      return status === 'settled' ? done(i, 'already-settled', Number(stored)) : done(i, 'voided');
    }
    // gift records are immutable apart from their status: a STALE answer means the record was tampered with
    throw new GiftwireError('INTERNAL', `gift ${gift.giftEventId} changed sender during settlement`);
  });
  return results;
}

/**
 * The room phase (and the creator's boards) of gifts the sweeper found, which may never have run it (their accepting
 * process died after the wallet phase); a gift its room refuses is voided there. Returns the gifts left to settle.
 */
async function finishAll(
  deps: Deps,
  held: { i: number; gift: HeldGift }[],
  goals: Map<number, NonNullable<SettleResult['goal']>>,
  done: (i: number, outcome: SettleOutcome) => void,
): Promise<{ i: number; gift: HeldGift }[]> {
  const kept = await Promise.all(
    held.map(async (h) => {
      try {
        const room = await finishGift(deps, h.gift);
        if (room.firstRun && room.goalId) {
          goals.set(h.i, { streamId: h.gift.target.id, goalId: room.goalId, reached: room.reachedGoal });
        }
        return h;
      } catch (err) {
        if (err instanceof GiftwireError && err.code !== 'UNAVAILABLE' && err.code !== 'INTERNAL') {
          done(h.i, 'voided'); // the room refused it: finishGift voided the hold
          return null;
        }
        throw err;
      }
    }),
  );
  return kept.filter((h) => h !== null);
}

/** The creators' halves: each gift credited once; the diamonds it earned, or null when a chargeback fenced it. */
async function credit(deps: Deps, held: readonly { gift: HeldGift }[]): Promise<(number | null)[]> {
  const k = deps.keys;
  const { num, den } = deps.config.diamondRate;
  const replies = await runEach(
    deps,
    'giftCredit',
    'giftCreditBatch',
    held.map(({ gift }) => ({
      slot: `u${userShard(gift.creatorId)}`,
      args: [
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
      ],
    })),
  );
  return replies.map((reply) => {
    const r = interpret(reply);
    return r.status === 'STALE' ? null : Number(r.payload[0]);
  });
}
