import type { Socket } from 'socket.io';
import type { ServerToClientEvents } from '../../shared/contracts/socket';
import type { RelayedState, ServerContext } from '../context';
import { unsentWireBytes } from './socket-buffer';

/** How often the states held for sockets that were behind are retried. */
const RETRY_MS = 50;

interface HeldState {
  event: keyof ServerToClientEvents;
  payload: unknown;
  bytes: number;
  expiresAt: number | null;
  droppedBy: string | null;
}

/** The states held for one socket that is behind, and what watches its outgoing events meanwhile. */
interface Held {
  states: Map<string, HeldState>;
  watch: (event: string) => void;
}

export interface LatestStatePush {
  /**
   * Sends a state that supersedes the previous one of the same `key` (a stream's leaderboard, its viewer count, a
   * battle's scores, a goal's progress) to every socket of `rooms`, on every server process. A socket that is
   * behind (bytes still waiting in this process) does not queue it: it keeps only the latest state per key, sent
   * once it has caught up. A state held past `expiresAt` (ms), or when the socket is sent a `droppedBy` event
   * meanwhile (battle:ended), is dropped unsent: that event is the last word.
   */
  push<E extends keyof ServerToClientEvents>(
    rooms: string[],
    key: string,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    opts?: { expiresAt?: number; droppedBy?: keyof ServerToClientEvents },
  ): void;
  /** Bytes of states held for this socket (they count towards SOCKET_MAX_BUFFER_BYTES). */
  heldBytes(socketId: string): number;
}

const perServer = new WeakMap<ServerContext['io'], LatestStatePush>();

/** The server's one latest-state push (made on first use): leaderboard, viewers, battle:update, goal:update. */
export function latestState(ctx: ServerContext): LatestStatePush {
  let push = perServer.get(ctx.io);
  if (!push) perServer.set(ctx.io, (push = createLatestState(ctx)));
  return push;
}

function createLatestState(ctx: ServerContext): LatestStatePush {
  const nsp = ctx.io.of('/');
  const held = new Map<string, Held>();
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const emitTo = (socket: Socket, event: string, payload: unknown) => socket.emit(event, payload);

  function hold(socket: Socket, key: string, state: HeldState): void {
    let entry = held.get(socket.id);
    if (!entry) {
      const states = new Map<string, HeldState>();
      const watch = (event: string) => {
        for (const [k, s] of states) if (s.droppedBy === event) states.delete(k);
      };
      socket.onAnyOutgoing(watch);
      held.set(socket.id, (entry = { states, watch }));
    }
    entry.states.set(key, state);
    retry ??= setTimeout(sendHeld, RETRY_MS);
  }

  function sendHeld(): void {
    retry = null;
    const now = Date.now();
    for (const [socketId, { states, watch }] of held) {
      const socket = nsp.sockets.get(socketId);
      if (!socket) {
        held.delete(socketId);
        continue;
      }
      if (unsentWireBytes(socket) > 0) continue;
      held.delete(socketId);
      socket.offAnyOutgoing(watch);
      for (const s of states.values())
        if (s.expiresAt === null || s.expiresAt > now) emitTo(socket, s.event, s.payload);
    }
    if (held.size > 0 && !closed) retry = setTimeout(sendHeld, RETRY_MS);
  }

  /** One emit for the sockets that keep up (encoded once); the others keep it as their latest state. */
  function deliver(state: RelayedState): void {
    if (closed) return;
    const behind: Socket[] = [];
    const seen = new Set<string>();
    for (const room of state.rooms) {
      for (const id of nsp.adapter.rooms.get(room) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        const socket = nsp.sockets.get(id);
        // a socket that already holds states holds this one too: an older held state must never follow a newer one
        if (socket && (held.has(id) || unsentWireBytes(socket) > 0)) behind.push(socket);
      }
    }
    if (seen.size === 0) return;
    const event = state.event as keyof ServerToClientEvents;
    const local = ctx.io.local.to(state.rooms);
    (behind.length > 0 ? local.except(behind.map((b) => b.id)) : local).emit(event, state.payload as never);
    if (behind.length === 0) return;
    const entry: HeldState = {
      event,
      payload: state.payload,
      bytes: JSON.stringify(state.payload).length,
      expiresAt: state.expiresAt,
      droppedBy: state.droppedBy,
    };
    for (const socket of behind) hold(socket, state.key, entry);
  }

  const onRelayed = (state: RelayedState) => deliver(state);
  ctx.io.on('state:push', onRelayed);
  ctx.onClose(() => {
    closed = true;
    ctx.io.off('state:push', onRelayed);
    if (retry) clearTimeout(retry);
    held.clear();
  });

  return {
    push(rooms, key, event, payload, opts = {}) {
      if (closed) return;
      const state: RelayedState = {
        rooms,
        key,
        event,
        payload,
        expiresAt: opts.expiresAt ?? null,
        droppedBy: opts.droppedBy ?? null,
      };
      ctx.io.serverSideEmit('state:push', state);
      deliver(state);
    },
    heldBytes(socketId) {
      const entry = held.get(socketId);
      if (!entry) return 0;
      let bytes = 0;
      for (const s of entry.states.values()) bytes += s.bytes;
      return bytes;
    },
  };
}
