import type { Battle, GiftEvent, Goal, LeaderboardItem, StreakEnded, Stream } from './models';
import type { ErrorBody } from './errors';
import type { OverlaySettings, TestAlertEvent } from './overlay-settings';

/** Socket.io event maps of the public contract; typed on both ends (server, pages, load tests). */

export type Ack<T extends object = object> = (res: ({ ok: true } & T) | { ok: false; error: ErrorBody }) => void;

export interface StreamJoinAck {
  stream: Stream;
  leaderboard: { items: LeaderboardItem[] };
  battle: Battle | null;
  viewers: number;
  /** The stream's unended goal, or null (live experience, #17). */
  goal: Goal | null;
}

export interface GiftSendAck {
  gift: GiftEvent;
  wallet: { coins: number; heldCoins: number };
}

export interface ClientToServerEvents {
  'stream:join': (payload: { streamId: string }, ack: Ack<StreamJoinAck>) => void;
  'stream:leave': (payload: { streamId: string }, ack: Ack) => void;
  'gift:send': (
    payload: { streamId: string; giftId: string; count?: number; idempotencyKey: string },
    ack: Ack<GiftSendAck>,
  ) => void;
}

export interface GiftsFrame {
  streamId: string;
  items: GiftEvent[];
  rest?: { gifts: number; coins: number };
}

export interface ServerToClientEvents {
  gifts: (frame: GiftsFrame) => void;
  leaderboard: (payload: { streamId: string; items: LeaderboardItem[] }) => void;
  viewers: (payload: { streamId: string; count: number }) => void;
  /** To both creators' own sockets and overlays (creatorRoom): a challenge waits for the opponent's answer. */
  'battle:invited': (payload: { battle: Battle }) => void;
  'battle:started': (payload: { battle: Battle }) => void;
  'battle:update': (payload: { battle: Battle }) => void;
  'battle:ended': (payload: { battle: Battle }) => void;
  'stream:ended': (payload: { streamId: string }) => void;
  /** To the creator's overlays only (overlayRoom): the creator saved new overlay settings. */
  'overlay:settings': (payload: { settings: OverlaySettings }) => void;
  /** To the creator's overlays only (overlayRoom): the studio's "test alert" button; no money moved. */
  'overlay:test': (payload: TestAlertEvent) => void;
  /** To every socket of the user (userRoom): an operator suspended the account; watching still works. */
  'account:suspended': (payload: { reason: string }) => void;
  /** To every socket of the user: their tokens were revoked; the socket is disconnected right after. */
  'account:revoked': (payload: { revokedAt: number }) => void;
  // live experience (#17): to the stream's room (streamRoom)
  /** Once per streak, no earlier than lastAt + STREAK_GAP_MS and at most a second after. */
  'streak:ended': (payload: StreakEnded) => void;
  /** The goal's progress changed (at most 4 a second per goal). */
  'goal:update': (payload: { goal: Goal }) => void;
  /** Exactly once per goal: the gift that first brought progressCoins to targetCoins. */
  'goal:reached': (payload: { goal: Goal }) => void;
}
