import { overlayKeyRoom, userRoom } from '../../shared/contracts/rooms';
import { Gauge } from 'prom-client';
import type { ServerContext, SocketData } from '../context';

/**
 * Rooms that are not watched: every user's sockets share one (suspension and revocation notices), and the overlays
 * opened with one key share one (a new key drops them): one per person or key, not a room to watch.
 */
const NOT_WATCHED = [userRoom(''), overlayKeyRoom('')];

/** Sockets and rooms of this server process, counted at scrape time. */
export function registerRealtimeMetrics(ctx: ServerContext): void {
  new Gauge({
    name: 'giftwire_sockets',
    help: 'Socket.io connections of this process by kind: user, overlay, anonymous (watchers without a token).',
    labelNames: ['kind'],
    registers: [ctx.metrics],
    collect() {
      const counts: Record<SocketData['role'], number> = { user: 0, overlay: 0, anonymous: 0 };
      for (const socket of ctx.io.of('/').sockets.values()) counts[(socket.data as SocketData).role] += 1;
      for (const [kind, n] of Object.entries(counts)) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: 'giftwire_rooms',
    help: "Socket.io rooms of streams and overlays with a socket of this process in them (a socket's or a user's own room not counted).",
    registers: [ctx.metrics],
    collect() {
      const nsp = ctx.io.of('/');
      let rooms = 0;
      for (const room of nsp.adapter.rooms.keys())
        if (!nsp.sockets.has(room) && !NOT_WATCHED.some((prefix) => room.startsWith(prefix))) rooms += 1;
      this.set(rooms);
    },
  });
}
