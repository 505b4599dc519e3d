import { userRoom } from '../../shared/contracts/rooms';
import type { ServerContext } from '../context';

/**
 * A revocation ('account:revoked' on ctx.events): every socket of the user holds a token issued before it, so each
 * is told (`account:revoked`), then dropped, on every server process. Each process does both to its own sockets, in
 * that order. Sent through the adapter as an emit and a disconnect, the two would travel on different shard
 * channels of a Redis Cluster (the user's room has its own), and the disconnect could overtake the notice.
 */
export function startAccountNotices(ctx: ServerContext): void {
  const revokeLocalSockets = (userId: string, revokedAt: number) => {
    ctx.io.local.to(userRoom(userId)).emit('account:revoked', { revokedAt });
    ctx.io.local.in(userRoom(userId)).disconnectSockets(true);
  };
  const onRevoked = (userId: string, revokedAt: number) => {
    revokeLocalSockets(userId, revokedAt);
    ctx.io.serverSideEmit('account:revoked', userId, revokedAt);
  };
  ctx.events.on('account:revoked', onRevoked);
  ctx.io.on('account:revoked', revokeLocalSockets);
  ctx.onClose(() => {
    ctx.events.off('account:revoked', onRevoked);
  });
}
