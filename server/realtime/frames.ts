import type { GiftEvent } from '../../shared/contracts/models';
import type { GiftsFrame } from '../../shared/contracts/socket';

/**
 * Builds the watchers' `gifts` frame of one tick (API.md "Socket.io"; docs/API.md "Socket.io rooms and frames").
 *
 * - Up to `limit` gifts: every gift is its own item, in acceptance order.
 * - Past it: gifts of the same sender and gift are folded into one item (counts and totals summed; id, at and
 *   combo of the last one, placed where the last one was).
 * - Still past it: the most valuable items are kept (by totalCoins, earlier first on ties) and the others are
 *   summed into `rest: { gifts (units), coins }`. Big gifts (`isBig`: large and epic tiers) are never summed into
 *   `rest`: they always keep their own item, even if that makes the frame longer than `limit`.
 *
 * `items` must be in acceptance order; the result keeps that order.
 */
export function foldFrame(streamId: string, items: GiftEvent[], limit: number, isBig: (g: GiftEvent) => boolean): GiftsFrame {
  if (items.length <= limit) return { streamId, items };

  const byKey = new Map<string, { item: GiftEvent; last: number }>();
  items.forEach((g, i) => {
    const key = `${g.sender.id}\u0000${g.giftId}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { item: { ...g }, last: i });
      return;
    }
    prev.item = {
      ...g,
      count: prev.item.count + g.count,
      totalCoins: prev.item.totalCoins + g.totalCoins,
    };
    prev.last = i;
  });
  const folded = [...byKey.values()].sort((a, b) => a.last - b.last);
  if (folded.length <= limit) return { streamId, items: folded.map((f) => f.item) };

  const big = folded.filter((f) => isBig(f.item));
  const small = folded.filter((f) => !isBig(f.item));
  const room = Math.max(0, limit - big.length);
  const byValue = [...small].sort((a, b) => b.item.totalCoins - a.item.totalCoins || a.last - b.last);
  const kept = new Set(byValue.slice(0, room));
  const rest = { gifts: 0, coins: 0 };
  for (const f of small) {
    if (kept.has(f)) continue;
    rest.gifts += f.item.count;
    rest.coins += f.item.totalCoins;
  }
  const items2 = folded.filter((f) => isBig(f.item) || kept.has(f)).map((f) => f.item);
  return rest.gifts > 0 ? { streamId, items: items2, rest } : { streamId, items: items2 };
}
