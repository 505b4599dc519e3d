import type { Socket } from 'socket.io';

/** The parts of engine.io's connection that hold what a client has not been sent yet (not in its typings). */
interface EngineConnection {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { name?: string; writable?: boolean; socket?: { bufferedAmount?: unknown } };
}

function packetBytes(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * Bytes this process still holds for one socket on the wire side: engine.io's write buffer (packets waiting for the
 * transport to be ready again) plus, on a WebSocket, what ws and the TCP socket have accepted but the kernel has not
 * taken yet. What the kernel holds is beyond our reach (API.md, SOCKET_MAX_BUFFER_BYTES).
 */
export function unsentWireBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = 0;
  // a transport ready to write takes the buffer at the end of this tick (socket-writes.ts): nothing lags there
  if (conn.transport?.writable !== true) for (const packet of conn.writeBuffer ?? []) bytes += packetBytes(packet.data);
  const buffered = conn.transport?.name === 'websocket' ? conn.transport.socket?.bufferedAmount : undefined;
  if (typeof buffered === 'number') bytes += buffered;
  return bytes;
}

/**
 * Drops a connection at once, whatever it still has to send: engine.io's close(discard) skips the wait for a drain
 * that will not come, and a WebSocket is terminated rather than closed, since a client that does not read would
 * never answer the closing handshake (its kernel buffers are freed now, not in 30 seconds).
 */
export function dropConnection(socket: Socket): void {
  const conn = socket.conn as unknown as EngineConnection & { close(discard?: boolean): void };
  const ws = conn.transport?.name === 'websocket' ? (conn.transport.socket as { terminate?: () => void }) : undefined;
  conn.close(true);
  ws?.terminate?.();
}
