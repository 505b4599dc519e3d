import { findGift } from '../domain/catalog';
import type { HeldGift } from '../domain/gift-room';
import { mintId, userShard } from '../redis/keys';

/**
 * A gift as its wallet phase records it, for stories and benches that run the later steps themselves: a fresh gift
 * event id in the sender's shard, the price and name from the catalog. `at` is 0 (not accepted yet) unless given.
 */
export function heldGift(g: {
  senderId: string;
  streamId: string;
  creatorId: string;
  giftId?: string;
  count?: number;
  at?: number;
  senderName?: string;
}): HeldGift {
  const giftId = g.giftId ?? 'rose';
  const gift = findGift(giftId);
  if (!gift) throw new Error(`no gift ${giftId} in the catalog`);
  const count = g.count ?? 1;
  return {
    giftEventId: mintId(userShard(g.senderId)),
    senderId: g.senderId,
    senderName: g.senderName ?? '',
    target: { kind: 'stream', id: g.streamId },
    creatorId: g.creatorId,
    giftId,
    giftName: gift.name,
    count,
    totalCoins: gift.coins * count,
    at: g.at ?? 0,
  };
}
