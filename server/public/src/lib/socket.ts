import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/contracts/socket';

/** The contract's events, typed on both ends. */
export type GiftwireSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A socket to this server. `auth` is `{ token }` (a user), `{ overlayKey }` (a creator's overlay) or `{}`
 * (an anonymous watcher). Socket.io reconnects by itself after a network failure (with backoff); after a refusal
 * by the server (connect_error UNAUTHORIZED) it does not, so callers decide whether to retry.
 */
export function connectSocket(auth: Record<string, string>): GiftwireSocket {
  return io(location.origin, {
    auth,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
  });
}

/** Connection states shown by the small indicator on every page. */
export type ConnState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** Follows a socket's life and reports a state for the indicator. */
export function watchConnection(socket: GiftwireSocket, onState: (s: ConnState, detail?: string) => void): void {
  onState('connecting');
  socket.on('connect', () => onState('connected'));
  socket.on('disconnect', (reason) => {
    onState('reconnecting', reason);
    // Socket.io leaves a socket the server disconnected (a deploy, a restart) alone: come back after a pause,
    // spread out so a restarted server is not hit by every overlay at once.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500 + Math.random() * 1500);
  });
  socket.on('connect_error', (err) => {
    // `active` is false when the server refused the handshake (middleware error): no automatic retry.
    onState(socket.active ? 'reconnecting' : 'refused', err.message);
  });
}
