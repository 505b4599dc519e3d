import giftsJson from '../catalog/gifts.json';
import packagesJson from '../catalog/coin-packages.json';
import type { CoinPackage, Gift } from '../contracts/catalog';

/** The catalog is data (shared/catalog/*.json), checked once at load: a bad catalog must never start. */
const gifts: readonly Gift[] = Object.freeze(giftsJson as Gift[]);
const packages: readonly CoinPackage[] = Object.freeze(
  [...(packagesJson as CoinPackage[])].sort((a, b) => a.coins - b.coins),
);

const giftById = new Map(gifts.map((g) => [g.id, g]));
const packageById = new Map(packages.map((p) => [p.id, p]));

function assertCatalog(): void {
  for (const g of gifts) {
    if (!Number.isInteger(g.coins) || g.coins < 1) throw new Error(`gift ${g.id} has a bad price`);
  }
  for (let i = 1; i < packages.length; i++) {
    const a = packages[i - 1]!;
    const b = packages[i]!;
    // price per coin must never rise with size: b.price/b.coins <= a.price/a.coins, compared in integers
    if (b.priceCents * a.coins > a.priceCents * b.coins)
      throw new Error(`coin package ${b.id} costs more per coin than ${a.id}`);
  }
  if (packages.length === 0) throw new Error('the catalog has no coin packages');
}
assertCatalog();

export function listGifts(): readonly Gift[] {
  return gifts;
}
export function findGift(id: string): Gift | undefined {
  return giftById.get(id);
}
export function listPackages(): readonly CoinPackage[] {
  return packages;
}
export function findPackage(id: string): CoinPackage | undefined {
  return packageById.get(id);
}

/** A custom amount is priced at the smallest pack's price per coin, rounded up to the cent. */
export function priceCustomAmount(coins: number): { priceCents: number; currency: string } {
  const base = packages[0]!;
  return { priceCents: Math.ceil((coins * base.priceCents) / base.coins), currency: base.currency };
}
