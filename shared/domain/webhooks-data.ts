import type { WebhookEventType } from '../contracts/webhooks';
import type { Deps } from './deps';
import { readBattle } from './battle-view';
import { readGoal } from './goals';
import { findPayout, publicPayout } from './payouts';
import { findStream, publicStream } from './streams';

/**
 * The `data` of a webhook event (API.md "Webhooks"), built by the relay from the record the event names. Every
 * record named is final in the fields an event shows once its event is filed (a recharge that succeeded, a settled
 * gift, a resolved payout, an ended stream or battle, a finished chargeback); a started stream is shown live, as
 * it was when it started, and a reached goal as it was reached. Null when the record is gone (nothing to report).
 */
export async function webhookEventData(
  deps: Deps,
  type: WebhookEventType,
  ref: string,
  snap?: Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  switch (type) {
    case 'recharge.succeeded':
      return rechargeData(deps, ref);
    case 'gift.settled':
      return giftData(deps, ref);
    case 'payout.paid':
    case 'payout.failed': {
      const payout = await findPayout(deps, ref);
      return payout ? { payout: publicPayout(payout), userId: payout.userId } : null;
    }
    case 'stream.started':
    case 'stream.ended': {
      const stream = await findStream(deps, ref);
      if (!stream) return null;
      if (type === 'stream.ended') return { stream: publicStream(stream) };
      const { endedAt: _later, ...started } = publicStream(stream);
      return { stream: { ...started, status: 'live' } };
    }
    case 'battle.ended': {
      const battle = await readBattle(deps, ref);
      return battle ? { battle } : null;
    }
    case 'chargeback.applied':
      return chargebackData(deps, ref);
    case 'goal.reached':
      return goalData(deps, ref, snap);
  }
}

async function rechargeData(deps: Deps, id: string) {
  const h = await deps.redis.hgetall(deps.keys.recharge(id));
  if (!h.id) return null;
  const recharge = {
    id: h.id,
    coins: Number(h.coins),
    priceCents: Number(h.priceCents),
    currency: h.currency ?? '',
    status: 'succeeded',
  };
  return { recharge, userId: h.userId ?? '' };
}

async function giftData(deps: Deps, id: string) {
  const g = await deps.redis.hgetall(deps.keys.gift(id));
  if (!g.id || g.status !== 'settled') return null;
  // the combo lives in the room's verdict (kept 7 days); a gift settled later than that shows a streak of one
  const verdict = await deps.redis.get(deps.keys.roomGift(g.streamId ?? '', id));
  const combo = verdict ? Number((JSON.parse(verdict) as { combo?: number }).combo ?? 1) : 1;
  const gift = {
    id,
    streamId: g.streamId ?? '',
    sender: { id: g.senderId ?? '', displayName: g.senderName ?? '' },
    giftId: g.giftId ?? '',
    giftName: g.giftName ?? '',
    coins: Number(g.coins),
    count: Number(g.count),
    totalCoins: Number(g.totalCoins),
    combo,
    at: Number(g.at),
  };
  return { gift, creatorId: g.creatorId ?? '', diamonds: Number(g.diamonds ?? 0) };
}

async function chargebackData(deps: Deps, rechargeId: string) {
  const h = await deps.redis.hgetall(deps.keys.chargeback(rechargeId));
  if (!h.rechargeId || h.state !== 'done') return null;
  const n = (field: string) => Number(h[field] ?? 0);
  return {
    chargeback: {
      rechargeId: h.rechargeId,
      userId: h.userId ?? '',
      coins: n('coins'),
      recoveredCoins: n('recoveredCoins'),
      voidedGifts: n('voidedGifts'),
      clawedBackDiamonds: n('clawedBackDiamonds'),
      unrecoveredCoins: n('unrecoveredCoins'),
    },
  };
}

/** The goal as it was reached: status `reached`, the progress of that moment (later gifts still add to it). */
async function goalData(deps: Deps, goalId: string, snap: Record<string, unknown> | undefined) {
  const streamId = typeof snap?.streamId === 'string' ? snap.streamId : '';
  const goal = streamId ? await readGoal(deps, streamId, goalId) : null;
  if (!goal) return null;
  return { goal: { ...goal, status: 'reached', progressCoins: Number(snap?.progressCoins ?? goal.progressCoins) } };
}
