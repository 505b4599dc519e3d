/*
 * Shapes of the v1.1 live events (../shared/API.md "Streak ends", "Goals") as the pages read them. The server side
 * of these events is built separately; the pages handle them when they arrive and stay correct while they do not.
 */

export interface StreakEnded {
  streamId: string;
  sender: { id: string; displayName: string };
  giftId: string;
  giftName: string;
  combo: number;
  totalCoins: number;
  firstAt: number;
  lastAt: number;
}

export interface Goal {
  id: string;
  streamId: string;
  title: string;
  targetCoins: number;
  /** null: every gift counts. */
  giftId: string | null;
  progressCoins: number;
  status: 'active' | 'reached' | 'ended';
  createdAt: number;
  reachedAt: number | null;
}
