import proxyaddr from 'proxy-addr';
import type { Socket } from 'socket.io';
import { verifyUserToken } from '../../shared/domain/auth';
import { accountOfToken } from '../../shared/domain/accounts';
import { creatorOfOverlayKey, overlayKeyDigest } from '../../shared/domain/overlay';
import { GiftwireError } from '../../shared/contracts/errors';
import type { ServerContext, SocketData } from '../context';

/**
 * Handshake: `auth.token` -> a user (a bad token fails with connect_error "UNAUTHORIZED"),
 * `auth.overlayKey` -> that creator's overlay, nothing -> an anonymous watcher.
 */
export function socketAuth(ctx: ServerContext) {
  return async (socket: Socket, next: (err?: Error) => void) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; overlayKey?: unknown };
    try {
      let data: SocketData;
      if (auth.token !== undefined && auth.token !== null && auth.token !== '') {
        if (typeof auth.token !== 'string') throw new GiftwireError('UNAUTHORIZED');
        const claims = await verifyUserToken(ctx.config, auth.token);
        await accountOfToken(ctx, claims);
        data = {
          role: 'user',
          userId: claims.userId,
          tokenExpiresAt: claims.expiresAt,
          tokenIssuedAt: claims.issuedAt,
        };
      } else if (auth.overlayKey !== undefined && auth.overlayKey !== null && auth.overlayKey !== '') {
        const creatorId = typeof auth.overlayKey === 'string' ? await creatorOfOverlayKey(ctx, auth.overlayKey) : null;
        if (!creatorId) throw new GiftwireError('UNAUTHORIZED');
        data = { role: 'overlay', creatorId, keyDigest: overlayKeyDigest(auth.overlayKey as string) };
      } else {
        data = { role: 'anonymous' };
      }
      socket.data = data;
      next();
    } catch (err) {
      if (!(err instanceof GiftwireError)) ctx.log.error({ err }, 'socket auth failed');
      next(new Error('UNAUTHORIZED'));
    }
  };
}

/** Before any spend: the socket must be a user's, and its token must still be valid (tokens expire mid-connection). */
export function socketSender(data: SocketData, now = Date.now()): string {
  if (data.role !== 'user') throw new GiftwireError('UNAUTHORIZED', 'Sign in to send gifts.');
  if (data.tokenExpiresAt <= now) throw new GiftwireError('UNAUTHORIZED', 'The token has expired.');
  return data.userId;
}

/**
 * At most SOCKETS_PER_ADDRESS open connections per client address on this server process (0: no cap); one more
 * fails the handshake with connect_error "RATE_LIMITED". The address is the one the HTTP side uses: the app's
 * `trust proxy` setting decides whether X-Forwarded-For is believed (only from a trusted proxy), else the peer.
 * Runs after socketAuth, so only sockets that will really connect take a place; the place is given back when the
 * underlying connection closes, however it closes.
 */
export function connectionCap(ctx: ServerContext, trustProxy: (addr: string, i: number) => boolean) {
  const open = new Map<string, number>();
  return (socket: Socket, next: (err?: Error) => void) => {
    const cap = ctx.config.socketsPerAddress;
    if (cap <= 0) return next();
    if (socket.conn.readyState !== 'open') return next(new Error('the connection closed during the handshake'));
    const address = proxyaddr(socket.request, trustProxy);
    const n = open.get(address) ?? 0;
    if (n >= cap) return next(new Error('RATE_LIMITED'));
    open.set(address, n + 1);
    socket.conn.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
    next();
  };
}
