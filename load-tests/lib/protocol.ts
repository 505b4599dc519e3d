/**
 * Messages between the orchestrator (run.ts) and its load-generator children (agent/agent.ts), over the
 * child_process IPC channel with `serialization: 'advanced'` (typed arrays travel as such, not as JSON).
 */
import type { Schedule } from './schedule';

export interface SenderSpec {
  /** Index in the run's sender list (the orchestrator keeps the users and their purchased coins). */
  index: number;
  userId: string;
  token: string;
  streamId: string;
}

export interface WatcherSpec {
  streamId: string;
  /** Parses every frame and times gift-to-screen; otherwise counts frames and bytes on the wire only. */
  parse: boolean;
}

export interface CreatorSpec {
  streamId: string;
  token: string;
}

export interface GiftChoice {
  giftId: string;
  weight: number;
}

export interface AgentInit {
  type: 'init';
  agent: number;
  url: string;
  watchers: WatcherSpec[];
  senders: SenderSpec[];
  creators: CreatorSpec[];
  schedule: Schedule;
  mix: GiftChoice[];
  connectRate: number;
  lateMs: number;
  seed: number;
}

export type ToAgent =
  | AgentInit
  | { type: 'connect' }
  /** t0: epoch ms of second 0 of the gift schedule. */
  | { type: 'start'; t0: number }
  /** Stop sending; wait for acknowledgements until none came for `quietMs`; answer how many are unanswered. */
  | { type: 'stop'; quietMs: number }
  /** Send the unanswered gifts again with the same keys, wait for answers, and report every acknowledged gift. */
  | { type: 'retry'; quietMs: number }
  /** Wait until the creator sockets have seen `expected` gifts per stream (or nothing new for `quietMs`). */
  | { type: 'drain'; expected: Record<string, number>; quietMs: number; timeoutMs: number }
  | { type: 'close' };

/** Latencies (ms) and, for each, the second of the run its gift belongs to. */
export interface LatencySamples {
  ms: Float64Array;
  sec: Float64Array;
}

/** One second of an agent's view, sent every second while running. */
export interface Interval {
  /** Second of the run (floor((now - t0) / 1000)) this interval closes; -1 before the start. */
  sec: number;
  sent: number;
  late: number;
  /** Worst lateness of a send in this interval, ms. */
  maxLateMs: number;
  acceptedCount: number;
  rejected: Record<string, number>;
  /** Ack latency from the emit, ms, per acknowledgement received in this interval, with the second it was sent. */
  ackMs: LatencySamples;
  /** Ack latency from the gift's due time (includes any lateness: no coordinated omission), ms. */
  ackFromDueMs: LatencySamples;
  /** Now - GiftEvent.at at parsing watchers, ms, one per item received. */
  screenMs: LatencySamples;
  /** Now - GiftEvent.at at the creators' sockets, ms, one per gift. */
  creatorScreenMs: LatencySamples;
  /** All watchers of this agent: frames ('gifts' events) and bytes received (every packet), this interval. */
  frames: number;
  bytes: number;
  /** Items and folded-away gifts ('rest.gifts') seen by parsing watchers. */
  items: number;
  parsedFrames: number;
  restGifts: number;
  watchersConnected: number;
  sendersConnected: number;
  disconnects: number;
  pendingAcks: number;
}

/** What an agent knows at the end: every acknowledged gift and every gift its creator sockets saw. */
export type AgentFinal = SenderFinal & CreatorFinal;

export interface SenderFinal {
  acked: {
    ids: string[];
    streamIds: string[];
    senderIndex: Uint32Array;
    totalCoins: Float64Array;
    at: Float64Array;
  };
  /** Gifts sent that got no acknowledgement (timeout or lost connection): their outcome is unknown. */
  unacked: number;
  /** Gifts answered only when sent again with the same key after the run (the first answer never came). */
  answeredOnRepeat: number;
}

export interface CreatorFinal {
  /** Per creator stream: the gift ids seen by its creator's socket and how many times each. */
  creatorSeen: Record<string, { ids: string[]; counts: Uint32Array }>;
  /** Events seen by creator sockets, by name (battle:update, leaderboard...). */
  creatorEvents: Record<string, number>;
}

export type FromAgent =
  | { type: 'ready' }
  | { type: 'connected'; watchers: number; senders: number; creators: number; failed: number; errors: string[] }
  | { type: 'interval'; interval: Interval }
  | { type: 'paused'; unanswered: number }
  | { type: 'stopped'; final: SenderFinal }
  | { type: 'drained'; final: CreatorFinal }
  | { type: 'error'; message: string };
