import type { GiftEvent } from '../../shared/contracts/models';
import type { GiftsFrame } from '../../shared/contracts/socket';

/**
 * Builds the watchers' `gifts` frame of one tick (API.md "Socket.io"; docs/API.md "Socket.io rooms and frames").
 *
 * - Up to `limit` gifts: every gift is its own item, in acceptance order.
 * - Past it: gifts of the same sender and gift are folded into one item (counts and totals summed; id, at and
 *   combo of the last one, placed where the last one was).
 * - Still past it: `limit` items are kept and the others are summed into `rest: { gifts (units), coins }`. Big
 *   gifts (`isBig`: large and epic tiers) are kept first, then the most valuable others (by totalCoins, earlier
 *   first on ties): a big gift reaches `rest` only when one tick holds more than `limit` big items, and then the
 *   least valuable of them do. A frame never has more than `limit` items; the creator's frames are never folded.
 *
 * `items` must be in acceptance order; the result keeps that order.
 */
export function foldFrame(
  streamId: string,
  items: GiftEvent[],
  limit: number,
  isBig: (g: GiftEvent) => boolean,
): GiftsFrame {
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

  const priority = (f: (typeof folded)[number]) => (isBig(f.item) ? 1 : 0);
  const ranked = [...folded].sort(
    (a, b) => priority(b) - priority(a) || b.item.totalCoins - a.item.totalCoins || a.last - b.last,
  );
  const kept = new Set(ranked.slice(0, limit));
  const rest = { gifts: 0, coins: 0 };
  for (const f of ranked.slice(limit)) {
    rest.gifts += f.item.count;
    rest.coins += f.item.totalCoins;
  }
  return { streamId, items: folded.filter((f) => kept.has(f)).map((f) => f.item), rest };
}
