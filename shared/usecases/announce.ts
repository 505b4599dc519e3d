import type { Server } from 'socket.io';
import type { ServerToClientEvents } from '../contracts/socket';
import type { Deps } from '../domain/deps';
import { roomEmitter } from '../redis/socket-io-adapter';

/**
 * The port through which use cases speak to rooms. A server process announces through its Socket.io server (the
 * Redis adapter carries it to the other processes); a process without sockets (workers) through the room emitter
 * on the adapter's channel (shared/redis/socket-io-adapter.ts). Either way every socket in the rooms hears it once.
 */
export type Announce = <E extends keyof ServerToClientEvents>(
  rooms: string | string[],
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) => void;

// The server's other type parameters (client events, socket data) play no part in emitting.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyServer = Server<any, ServerToClientEvents, any, any>;

export function announceThroughServer(io: AnyServer): Announce {
  return (rooms, event, ...args) => {
    io.to(rooms).emit(event, ...args);
  };
}

export function announceThroughEmitter(deps: Pick<Deps, 'redis' | 'keys'>): Announce {
  const emitter = roomEmitter(deps.redis, deps.keys.socketChannel);
  return (rooms, event, ...args) => emitter.emit(rooms, event, ...args);
}
