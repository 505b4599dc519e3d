/** Shapes of the public contract (docs/API.md), shared by server, workers, pages and load tests. */

export interface Stream {
  id: string;
  creatorId: string;
  title: string;
  status: 'live' | 'ended';
  startedAt: number;
  endedAt?: number;
}

export interface LeaderboardItem {
  rank: number;
  userId: string;
  displayName: string;
  coins: number;
}

export interface GiftEvent {
  id: string;
  streamId: string;
  sender: { id: string; displayName: string };
  giftId: string;
  giftName: string;
  /** Unit price in coins. */
  coins: number;
  count: number;
  totalCoins: number;
  combo: number;
  at: number;
}

export interface Mvp {
  userId: string;
  displayName: string;
  coins: number;
}

export interface BattleSide {
  streamId: string;
  creatorId: string;
  score: number;
  mvp: Mvp | null;
}

export type BattleStatus = 'pending' | 'active' | 'ended' | 'expired' | 'declined' | 'cancelled';

export interface Battle {
  id: string;
  status: BattleStatus;
  sides: [BattleSide, BattleSide];
  durationSec: number;
  createdAt?: number;
  /** While pending: when the invitation expires unless accepted. */
  expiresAt?: number;
  startedAt?: number;
  endsAt?: number;
  endedAt?: number;
  winnerStreamId?: string | null;
  /** Why it closed: time, forfeit, declined, cancelled, expired, stream_ended. */
  endReason?: string;
}

export interface Wallet {
  coins: number;
  heldCoins: number;
  diamonds: number;
  spentTodayCoins: number;
  dailySpendLimitCoins: number | null;
  /** GET /v1/wallet: the diamonds a payout may draw on now, `diamonds` less those still on hold (EARNINGS_HOLD_SEC). */
  withdrawableDiamonds?: number;
}

export type TransactionType = 'recharge' | 'gift_sent' | 'gift_received' | 'payout' | 'chargeback';

export interface Transaction {
  id: string;
  type: TransactionType;
  coins?: number;
  diamonds?: number;
  status: 'pending' | 'settled' | 'paid' | 'failed' | 'review' | 'rejected';
  at: number;
  ref?: string;
}

export interface Recharge {
  id: string;
  coins: number;
  priceCents: number;
  currency: string;
  status: 'succeeded';
}

export const PAYOUT_STATUSES = ['pending', 'paid', 'failed', 'review', 'rejected'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export interface Payout {
  id: string;
  diamonds: number;
  amountCents: number;
  currency: string;
  /** `review`: waiting for an operator (PAYOUT_REVIEW_DIAMONDS); `rejected`: the operator refused, diamonds back. */
  status: PayoutStatus;
  destination?: string;
  createdAt?: number;
  paidAt?: number;
  failedAt?: number;
}

// ---- live experience (#17): streak ends and goals ---------------------------------------------------------------

/** `streak:ended`: once per streak, after STREAK_GAP_MS without another send of that gift by that sender. */
export interface StreakEnded {
  streamId: string;
  sender: { id: string; displayName: string };
  giftId: string;
  giftName: string;
  /** The streak's last combo. */
  combo: number;
  /** The sum of its gifts' totalCoins. */
  totalCoins: number;
  /** The `at` of its first and last gift. */
  firstAt: number;
  lastAt: number;
}

export const GOAL_STATUSES = ['active', 'reached', 'ended'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface Goal {
  id: string;
  streamId: string;
  title: string;
  targetCoins: number;
  /** null: every gift counts. */
  giftId: string | null;
  progressCoins: number;
  status: GoalStatus;
  createdAt: number;
  reachedAt: number | null;
}
