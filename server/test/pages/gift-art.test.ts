import { listGifts } from '../../../shared/domain/catalog';
import { pickVariation, overlaySettings } from '../../../shared/contracts/overlay-settings';
import { GIFT_ART } from '../../public/src/lib/gift-drawings';

describe('every gift of the catalog has a drawing of its own', () => {
  it('no two gifts share a picture (Galaxy and Universe, the two cars, Lion and Drama Queen included)', () => {
    const gifts = listGifts();
    expect(gifts.filter((g) => !GIFT_ART[g.id]).map((g) => g.id)).toEqual([]);
    const byDrawing = new Map<string, string[]>();
    for (const g of gifts) {
      const [drawing] = GIFT_ART[g.id]!;
      byDrawing.set(drawing, [...(byDrawing.get(drawing) ?? []), g.id]);
    }
    expect([...byDrawing.values()].filter((ids) => ids.length > 1)).toEqual([]);
  });
});

describe("a creator's alert variations pick the most specific match", () => {
  const settings = overlaySettings.parse({
    variations: [
      { minCoins: 1000, message: 'big' },
      { minCoins: 10_000, message: 'huge' },
      { giftId: 'universe', message: 'the universe' },
      { giftId: 'rose', minCoins: 50, message: 'a bouquet' },
    ],
  });
  const pick = (giftId: string, coins: number) => pickVariation(settings, giftId, coins)?.message ?? null;

  it('a gift-specific variation wins over amounts; the highest amount reached wins among amounts', () => {
    expect(pick('universe', 34_999)).toBe('the universe');
    expect(pick('lion', 29_999)).toBe('huge');
    expect(pick('galaxy', 1000)).toBe('big');
    expect(pick('corgi', 299)).toBeNull();
    // A gift-specific variation with an amount applies from that amount on (a streak of 50 roses sent at once).
    expect(pick('rose', 49)).toBeNull();
    expect(pick('rose', 50)).toBe('a bouquet');
  });
});
