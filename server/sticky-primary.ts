import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setupMaster } from '@socket.io/sticky';

/** The part of a net.Socket's native handle used here (not in its typings). */
interface StreamHandle {
  readStart(): number;
  readStop(): number;
}

/** The socket's native handle; null once the socket has been handed to another process. */
const handleOf = (socket: Socket) => (socket as unknown as { _handle: StreamHandle | null })._handle;

/**
 * The cluster primary's half of sticky sessions: @socket.io/sticky reads the first bytes of each connection to
 * find its Socket.io session, then hands the connection over to the server process holding it.
 *
 * Node closes the primary's copy of a handed-over connection only once the receiving process has acknowledged it,
 * and until then the primary's copy is still reading, into a callback that drops what it reads. A client quick
 * enough to send its next bytes in that window (a WebSocket client's CONNECT packet right after the upgrade, on a
 * busy machine) would lose them for good: the socket is open and its CONNECT never arrives (the likely cause of a
 * rare hang in every-core.test.ts, not reproduced on its own). So the primary stops reading each connection as soon
 * as its first bytes are in, before sticky decides, and reads on only if sticky kept the connection (a request with
 * a body, which the primary relays chunk by chunk).
 */
export function setupStickyPrimary(httpServer: Server): void {
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  // registered after sticky's own connection listener, so this 'data' listener is not among those it removes
  httpServer.on('connection', (socket: Socket) => {
    socket.prependOnceListener('data', () => {
      const handle = handleOf(socket);
      if (!handle) return;
      handle.readStop();
      // sticky's listener runs right after this one, in the same emit: by the next tick it has handed the
      // connection over (the socket has no handle any more) or kept it
      process.nextTick(() => {
        if (handleOf(socket) === handle) handle.readStart();
      });
    });
  });
}
