import type { Server } from 'socket.io';
import type { EventEmitter } from 'node:events';
import type { Registry } from 'prom-client';
import type { Deps } from '../shared/domain/deps';
import type { GiftEvent, StreakEnded } from '../shared/contracts/models';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/contracts/socket';
import type { Queues } from '../shared/runtime/queues';
import type { Announce } from '../shared/usecases/announce';

/** Who is behind a socket, decided once at connect (and the token's expiry re-checked before every spend). */
export type SocketData =
  | { role: 'anonymous' }
  | { role: 'user'; userId: string; tokenExpiresAt: number; tokenIssuedAt: number }
  | { role: 'overlay'; creatorId: string; keyDigest: string };

/** What server processes tell each other through the adapter (`serverSideEmit`): never seen by clients. */
export interface InterServerEvents {
  /** A user's tokens were revoked at `revokedAt`: each process tells and drops that user's sockets of its own. */
  'account:revoked': (userId: string, revokedAt: number) => void;
  // watcher budget and backpressure (issue #14)
  /** Gifts one process accepted in a tick, for the others' own sockets: see broadcaster.ts. */
  'gifts:relay': (batch: RelayedGifts) => void;
  /** A state that supersedes the previous one of its key, for every process's sockets: see latest-state.ts. */
  'state:push': (state: RelayedState) => void;
  // streak ends with the frames (issue #14, server CPU)
  /** A streak's end a process claimed, for the others' own sockets: see realtime/streak-ends.ts. */
  'streak:relay': (rooms: string[], streak: StreakEnded) => void;
}

/** Gifts one server process accepted in a tick, relayed to the others (io.serverSideEmit): see broadcaster.ts. */
export interface RelayedGifts {
  streamId: string;
  gifts: Array<{ gift: GiftEvent; seq: number }>;
}

/** A state push that supersedes the previous one of its key, relayed to every process: see latest-state.ts. */
export interface RelayedState {
  rooms: string[];
  key: string;
  event: string;
  payload: unknown;
  expiresAt: number | null;
  droppedBy: string | null;
}

export type GiftwireServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Everything a server feature needs: domain deps, the Socket.io server, metrics, and a place to register cleanup. */
export interface ServerContext extends Deps {
  io: GiftwireServer;
  metrics: Registry;
  /**
   * In-process events between server features. 'gift:accepted' (AcceptedGift) is emitted once per newly accepted
   * gift (never for replays): the broadcaster and the settlement outbox relay listen to it. 'gifts:broadcast'
   * (AcceptedGift[]) when the broadcaster has emitted those gifts' frame (the metrics time it). 'account:revoked'
   * (userId, revokedAt) when an operator revoked a user's tokens: realtime tells and drops their sockets.
   * 'gift:finished' (AcceptedGift) for a repeat whose call ran the room phase and reached a goal there, and
   * 'goal:changed' (Goal) when a goal was set or ended through the API: the goal pushes listen to both.
   */
  events: EventEmitter;
  /** The BullMQ queues this process adds jobs to (settlement, payouts, ...), opened on first use. */
  queues: Queues;
  /** Emits to rooms through this process's Socket.io server: the port the use cases (shared/usecases) speak to. */
  announce: Announce;
  /** Features register what must stop on shutdown (timers, queues, subscriptions); run in reverse order. */
  onClose(fn: () => Promise<void> | void): void;
}
