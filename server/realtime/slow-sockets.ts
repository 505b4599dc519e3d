import { Counter } from 'prom-client';
import type { ServerContext } from '../context';
import { latestState } from './latest-state';
import { dropConnection, unsentWireBytes } from './socket-buffer';

/**
 * The bound on what one socket may keep unsent (API.md v1.1 Conventions): every check, each local socket's unsent
 * bytes (engine.io's and the WebSocket's buffers, plus the latest states held for it) are compared with
 * SOCKET_MAX_BUFFER_BYTES; a socket above it at every check for SOCKET_SLOW_GRACE_MS is disconnected, logged
 * with its reason and counted. A client that merely lags a moment is left alone: it drops below the bound.
 */
export function watchSlowSockets(ctx: ServerContext): void {
  const { socketMaxBufferBytes: maxBytes, socketSlowGraceMs: graceMs } = ctx.config;
  const checkMs = Math.max(20, Math.min(250, Math.floor(graceMs / 5)));
  const states = latestState(ctx);
  const nsp = ctx.io.of('/');
  const overSince = new Map<string, number>();
  const dropped = new Counter({
    name: 'giftwire_slow_sockets_disconnected_total',
    help: 'sockets disconnected because they kept more than SOCKET_MAX_BUFFER_BYTES unsent for SOCKET_SLOW_GRACE_MS',
    registers: [ctx.metrics],
  });

  const timer = setInterval(() => {
    const now = Date.now();
    for (const id of overSince.keys()) if (!nsp.sockets.has(id)) overSince.delete(id);
    for (const [id, socket] of nsp.sockets) {
      const bytes = unsentWireBytes(socket) + states.heldBytes(id);
      if (bytes <= maxBytes) {
        overSince.delete(id);
        continue;
      }
      const since = overSince.get(id);
      if (since === undefined) {
        overSince.set(id, now);
        continue;
      }
      if (now - since < graceMs) continue;
      overSince.delete(id);
      dropped.inc();
      ctx.log.warn(
        { socketId: id, unsentBytes: bytes, overForMs: now - since, reason: 'slow consumer' },
        'socket disconnected: it stopped reading',
      );
      dropConnection(socket);
    }
  }, checkMs);
  timer.unref();
  ctx.onClose(() => clearInterval(timer));
}
