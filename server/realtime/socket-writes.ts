import type { Writable } from 'node:stream';
import type { GiftwireServer } from '../context';

/** The parts of engine.io's connection this module reaches (not in its typings). */
interface EngineSocket {
  flush(): void;
  transport?: { name?: string; socket?: { _socket?: unknown } };
}

function tcpOf(socket: EngineSocket): Writable | undefined {
  const raw = socket.transport?.name === 'websocket' ? socket.transport.socket?._socket : undefined;
  return raw && typeof (raw as Writable).cork === 'function' ? (raw as Writable) : undefined;
}

/**
 * One system call per socket per tick, for the same bytes in the same order. A watcher in a gift war is sent a
 * handful of packets at once (a poll's `streak:ended` events, a gifts frame, a leaderboard); engine.io would write
 * the first one at once, keep the others until that write is done, and ws would then write each on its own: one
 * writev per packet, a quarter of the server's time under a gift war. So:
 * - engine.io's flush of a socket runs once, at the end of the tick (process.nextTick: after the promise callbacks
 *   of this turn too), so every packet the socket was sent meanwhile goes to the transport together;
 * - what engine.io hands the transport in one go ('flush', then 'drain' right after, in the same tick) is written
 *   with the TCP socket corked, so it leaves in one writev.
 * socket-buffer.ts counts packets that wait only for that end of the tick as sent (they are not a socket lagging).
 */
export function batchSocketWrites(io: GiftwireServer): void {
  io.engine.on('connection', (socket: EngineSocket) => {
    const flushNow = socket.flush.bind(socket);
    let due = false;
    const flushDue = () => {
      due = false;
      flushNow();
    };
    socket.flush = () => {
      if (due) return;
      due = true;
      process.nextTick(flushDue);
    };
  });

  const corked = new WeakMap<object, Writable>();
  const release = (socket: object) => {
    const tcp = corked.get(socket);
    if (!tcp) return;
    corked.delete(socket);
    tcp.uncork();
  };
  io.engine.on('flush', (socket: EngineSocket, buffer: unknown[]) => {
    if (buffer.length < 2) return;
    const tcp = tcpOf(socket);
    if (!tcp) return;
    tcp.cork();
    corked.set(socket, tcp);
    // should the send throw before 'drain', the socket must not stay corked
    process.nextTick(release, socket);
  });
  io.engine.on('drain', release);
}
