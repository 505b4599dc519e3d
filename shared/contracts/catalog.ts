export type GiftTier = 'small' | 'medium' | 'large' | 'epic';

export interface Gift {
  id: string;
  name: string;
  coins: number;
  streakable: boolean;
  tier: GiftTier;
}

export interface CoinPackage {
  id: string;
  coins: number;
  priceCents: number;
  currency: string;
}
