import { randomUUID } from 'node:crypto';
import type { GiftEvent } from '../../shared/contracts/models';
import type { GiftsFrame } from '../../shared/contracts/socket';

/**
 * Frames shaped like Giftwire's own `gifts` frames (uuid ids, display names, catalog gifts), for benches that
 * measure the transport without Giftwire: the same bytes on the wire, none of the work behind them.
 */
const GIFTS = [
  { giftId: 'rose', giftName: 'Rose', coins: 1 },
  { giftId: 'galaxy', giftName: 'Galaxy', coins: 1000 },
  { giftId: 'universe', giftName: 'Universe', coins: 34999 },
];

export function sampleGiftEvent(streamId: string, i: number, at: number): GiftEvent {
  const g = GIFTS[i % 100 === 0 ? 2 : i % 10 === 0 ? 1 : 0]!;
  const count = 1;
  return {
    id: randomUUID(),
    streamId,
    sender: { id: randomUUID(), displayName: `load-abc123-fan${(i % 600) + 1}` },
    giftId: g.giftId,
    giftName: g.giftName,
    coins: g.coins,
    count,
    totalCoins: g.coins * count,
    combo: (i % 7) + 1,
    at,
  };
}

/** A full frame: `items` gifts, plus a folded remainder as in a war (more gifts per tick than the frame limit). */
export function sampleFrame(streamId: string, items: number, at: number, restGifts = 0): GiftsFrame {
  const frame: GiftsFrame = {
    streamId,
    items: Array.from({ length: items }, (_, i) => sampleGiftEvent(streamId, i, at)),
  };
  if (restGifts > 0) frame.rest = { gifts: restGifts, coins: restGifts };
  return frame;
}
