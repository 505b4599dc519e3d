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

/**
 * The v1.1 events the pages listen for before the server sends them. They join ServerToClientEvents (and the
 * AsyncAPI document) with the server features that send them; until then the pages' sockets add them here.
 */
export interface UpcomingServerEvents {
  'streak:ended': (payload: StreakEnded) => void;
  'goal:update': (payload: { goal: Goal }) => void;
  'goal:reached': (payload: { goal: Goal }) => void;
}

/** The `stream:join` answer's v1.1 `goal`: the stream's unended goal, or null; absent until goals exist. */
export interface UpcomingJoinFields {
  goal?: Goal | null;
}
