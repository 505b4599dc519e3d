import { crashPoint } from './crash-points';
import { GiftwireError } from '../contracts/errors';
import { userShard } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import { uncountOnCreatorRankings } from './creator-rankings';
import type { Deps } from './deps';
import { creatorBoardsOfGift } from './leaderboard-periods';
import { heldGiftOf, PHASE_MARKER_TTL_MS, type HeldGift } from './gift-room';
import { settleGift } from './settlement';
import { newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

/**
 * A chargeback: the payment provider reversed a recharge, and Giftwire takes back what it can, in the contract's
 * order (API.md v1.1, "Accounts and money safety"). It spans the buyer, the streams of the voided gifts and the
 * creators clawed back, so it is a sequence of idempotent one-owner steps driven by a state machine recorded in the
 * buyer's slot (`chargeback:<rechargeId>`); a process killed at any step is finished by running it again (the same
 * operator call repeated), and every step moves money exactly once:
 *   1. open        (buyer)   record, take available coins, suspend the buyer, history entry
 *   2. for each held gift of the buyer, newest first, while coins remain to recover:
 *        fence     (creator) settlement may no longer credit it (a credited one is settled instead, for step 3)
 *        void      (buyer)   release the hold, take what is needed, the rest back to coins
 *   3. for each voided gift: unapply (stream) totals, board, battle side; boards-unapply (creator) creator boards
 *   4. for each settled gift of the buyer, newest first, while coins remain: clawback (creator) of its on-hold
 *      diamonds, then claw-record (buyer)
 *   5. finish      (buyer)   the rest is unrecoveredCoins, a platform loss
 */
export interface Chargeback {
  rechargeId: string;
  userId: string;
  coins: number;
  recoveredCoins: number;
  voidedGifts: number;
  clawedBackDiamonds: number;
  unrecoveredCoins: number;
}

interface ChargebackRecord extends Chargeback {
  remaining: number;
  state: 'open' | 'done';
  createdAt: number;
}

function recordOf(h: Record<string, string>): ChargebackRecord | null {
  if (!h.rechargeId) return null;
  const n = (v: string | undefined) => Number(v ?? 0);
  return {
    rechargeId: h.rechargeId,
    userId: h.userId ?? '',
    coins: n(h.coins),
    recoveredCoins: n(h.recoveredCoins),
    voidedGifts: n(h.voidedGifts),
    clawedBackDiamonds: n(h.clawedBackDiamonds),
    unrecoveredCoins: n(h.unrecoveredCoins),
    remaining: n(h.remaining),
    state: h.state === 'done' ? 'done' : 'open',
    createdAt: n(h.createdAt),
  };
}

export function publicChargeback(r: ChargebackRecord): Chargeback {
  const { rechargeId, userId, coins, recoveredCoins, voidedGifts, clawedBackDiamonds, unrecoveredCoins } = r;
  return { rechargeId, userId, coins, recoveredCoins, voidedGifts, clawedBackDiamonds, unrecoveredCoins };
}

async function readRecord(deps: Deps, rechargeId: string): Promise<ChargebackRecord> {
  const r = recordOf(await deps.redis.hgetall(deps.keys.chargeback(rechargeId)));
  if (!r) throw new GiftwireError('NOT_FOUND', 'No such chargeback.');
  return r;
}

/** Records and applies a chargeback, or finishes one a dead process left; a done one is answered as it was. */
export async function applyChargeback(
  deps: Deps,
  rechargeId: string,
): Promise<{ chargeback: Chargeback; replay: boolean }> {
  const k = deps.keys;
  const buyerId = await deps.redis.hget(k.recharge(rechargeId), 'userId');
  if (!buyerId) throw new GiftwireError('NOT_FOUND', 'No such recharge.');
  const opened = interpret(
    await script(deps.redis, 'chargebackOpen')(
      k.recharge(rechargeId),
      k.chargeback(rechargeId),
      k.wallet(buyerId),
      k.user(buyerId),
      k.txs(buyerId),
      rechargeId,
    ),
  );
  await deps.redis.zadd(k.chargebacks, 'NX', Date.now(), rechargeId);
  crashPoint(deps, 'open');
  let record = await readRecord(deps, rechargeId);
  if (record.state === 'done') return { chargeback: publicChargeback(record), replay: opened.status === 'REPLAY' };

  for (const gift of await buyerGifts(deps, buyerId, 'held')) {
    record = await readRecord(deps, rechargeId);
    if (record.remaining === 0) break;
    await voidForChargeback(deps, rechargeId, gift);
  }
  for (const id of await deps.redis.smembers(k.chargebackVoided(rechargeId))) {
    const gift = heldGiftOf(await deps.redis.hgetall(k.gift(id)));
    if (gift) await unapplyGift(deps, gift);
  }
  for (const gift of await buyerGifts(deps, buyerId, 'settled')) {
    record = await readRecord(deps, rechargeId);
    if (record.remaining === 0) break;
    await clawBack(deps, rechargeId, gift);
  }
  await script(deps.redis, 'chargebackFinish')(
    k.chargeback(rechargeId),
    webhookOutboxOf(deps, webhookOwner.record(rechargeId)),
    rechargeId,
    newWebhookEventId(),
  );
  return { chargeback: publicChargeback(await readRecord(deps, rechargeId)), replay: false };
}

/** The buyer's gifts with that status, newest first (their history holds every gift they sent and kept). */
async function buyerGifts(deps: Deps, buyerId: string, status: 'held' | 'settled'): Promise<HeldGift[]> {
  const members = await deps.redis.zrevrange(deps.keys.txs(buyerId), 0, -1);
  const ids = members.filter((m) => m.startsWith('gift_sent:')).map((m) => m.slice('gift_sent:'.length));
  const records = await Promise.all(ids.map((id) => deps.redis.hgetall(deps.keys.gift(id))));
  return records
    .filter((h) => h.status === status)
    .map((h) => heldGiftOf(h))
    .filter((g): g is HeldGift => g !== null);
}

async function voidForChargeback(deps: Deps, rechargeId: string, gift: HeldGift): Promise<void> {
  const k = deps.keys;
  const fence = (await script(deps.redis, 'chargebackFence')(
    k.credit(gift.creatorId, gift.giftEventId),
    rechargeId,
    'fence',
  )) as string[];
  crashPoint(deps, 'fence');
  if (fence[0] === 'CREDITED') {
    // its settlement is under way: finish it; its diamonds may be clawed back below
    await settleGift(deps, gift.giftEventId);
    return;
  }
  const voided = (await script(deps.redis, 'chargebackVoid')(
    k.chargeback(rechargeId),
    k.gift(gift.giftEventId),
    k.wallet(gift.senderId),
    k.outbox(userShard(gift.senderId)),
    k.txs(gift.senderId),
    k.chargebackVoided(rechargeId),
    rechargeId,
    gift.giftEventId,
  )) as string[];
  if (voided[0] === 'INTERNAL' || voided[0] === 'NOT_FOUND') interpret(voided);
  if (voided[0] === 'DONE' || voided[0] === 'SKIP') {
    // not voided by us after all: the fence comes off, so the gift settles as usual
    await script(deps.redis, 'chargebackFence')(k.credit(gift.creatorId, gift.giftEventId), rechargeId, 'lift');
  }
  crashPoint(deps, 'void');
}

/**
 * Takes a voided gift out of its room (totals, board, goal progress, battle side), its creator's boards and the
 * creator rankings, once each.
 */
async function unapplyGift(deps: Deps, gift: HeldGift): Promise<void> {
  const k = deps.keys;
  const sid = gift.target.id;
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await deps.redis.get(k.roomGift(sid, gift.giftEventId));
    const verdict = stored ? (JSON.parse(stored) as { battleId?: string; goalId?: string }) : {};
    const battleId = verdict.battleId ?? '';
    const goalId = verdict.goalId ?? '';
    const sideBoard = k.lbBattleSide(battleId, sid);
    const r = interpret(
      await script(deps.redis, 'giftUnapply')(
        k.roomGift(sid, gift.giftEventId),
        k.stream(sid),
        k.lbStream(sid),
        k.lbMembers(k.lbStream(sid)),
        k.battleSide(battleId, sid),
        sideBoard,
        k.lbMembers(sideBoard),
        k.goal(sid, goalId),
        gift.senderId,
        gift.totalCoins,
        PHASE_MARKER_TTL_MS,
        battleId,
        goalId,
      ),
    );
    if (r.status !== 'STALE') break;
  }
  crashPoint(deps, 'unapply');
  const boards = creatorBoardsOfGift(k, gift.creatorId, gift.at);
  await script(deps.redis, 'giftBoardsUnapply')(
    k.creatorCounted(gift.creatorId, gift.giftEventId),
    ...boards.keys,
    gift.senderId,
    gift.totalCoins,
    PHASE_MARKER_TTL_MS,
    ...boards.expiries,
  );
  await uncountOnCreatorRankings(deps, [gift]);
}

async function clawBack(deps: Deps, rechargeId: string, gift: HeldGift): Promise<void> {
  const k = deps.keys;
  const r = (await script(deps.redis, 'chargebackClawback')(
    k.credit(gift.creatorId, gift.giftEventId),
    k.earningsHold(gift.creatorId),
    k.wallet(gift.creatorId),
    gift.giftEventId,
    rechargeId,
  )) as string[];
  crashPoint(deps, 'clawback');
  if (r[0] === 'NONE') return;
  if (r[0] !== 'OK' && r[0] !== 'REPLAY') interpret(r);
  await script(deps.redis, 'chargebackClawRecord')(
    k.chargeback(rechargeId),
    k.gift(gift.giftEventId),
    rechargeId,
    r[1]!,
  );
  crashPoint(deps, 'claw-record');
}

/** The operator's report of losses: every chargeback, newest first, with totals. */
export async function chargebackReport(deps: Deps, limit = 100) {
  const ids = await deps.redis.zrevrange(deps.keys.chargebacks, 0, -1);
  const records = (await Promise.all(ids.map((id) => deps.redis.hgetall(deps.keys.chargeback(id)))))
    .map(recordOf)
    .filter((r): r is ChargebackRecord => r !== null);
  const totals = {
    chargebacks: records.length,
    coins: 0,
    recoveredCoins: 0,
    unrecoveredCoins: 0,
    clawedBackDiamonds: 0,
  };
  for (const r of records) {
    totals.coins += r.coins;
    totals.recoveredCoins += r.recoveredCoins;
    totals.unrecoveredCoins += r.unrecoveredCoins;
    totals.clawedBackDiamonds += r.clawedBackDiamonds;
  }
  return {
    totals,
    items: records.slice(0, limit).map((r) => ({ ...publicChargeback(r), state: r.state, at: r.createdAt })),
  };
}
