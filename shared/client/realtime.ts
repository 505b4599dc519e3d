import { io, type Socket } from 'socket.io-client';
import type { ErrorBody } from '../contracts/errors';
import type { ClientToServerEvents, GiftSendAck, ServerToClientEvents, StreamJoinAck } from '../contracts/socket';
import { ackError, networkError, withRetries, type RetryPolicy } from './errors';
import { newIdempotencyKey } from './ids';

export type GiftwireSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RealtimeOptions {
  baseUrl: string;
  /** A user token (may send gifts); without token or overlayKey the socket is an anonymous watcher. */
  token?: string;
  /** A creator's overlay key: receives every gift of the creator's streams unfolded; may not send. */
  overlayKey?: string;
  /** How long an acknowledgement may take before the call counts as lost (default 10 s). */
  ackTimeoutMs: number;
  retry: RetryPolicy;
}

export interface SendGiftInput {
  streamId: string;
  giftId: string;
  /** 1..99, default 1. */
  count?: number;
  /** Yours, or a new one; every retry of this send reuses it, so a gift is never sent twice. */
  idempotencyKey?: string;
}

type AckResult<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/**
 * The Socket.io side of the contract: typed events, acknowledgements resolved or thrown as ApiError, a
 * reconnecting socket that joins its streams again, and gift sends retried with their idempotency key.
 */
export function realtimeApi(opts: RealtimeOptions) {
  const auth = opts.token ? { token: opts.token } : opts.overlayKey ? { overlayKey: opts.overlayKey } : {};
  const socket: GiftwireSocket = io(opts.baseUrl, { auth, transports: ['websocket'], autoConnect: false });
  const joined = new Set<string>();
  let connectedOnce = false;
  socket.on('connect', () => {
    // rooms do not survive a reconnection: join again what the app had joined
    if (connectedOnce) for (const streamId of joined) socket.emit('stream:join', { streamId }, () => undefined);
    connectedOnce = true;
  });

  async function ack<T extends object>(send: (cb: (res: AckResult<T>) => void) => void): Promise<T> {
    const res = await new Promise<AckResult<T>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(networkError(`no acknowledgement within ${opts.ackTimeoutMs} ms`)),
        opts.ackTimeoutMs,
      );
      send((r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    if (!res.ok) throw ackError(res.error);
    const { ok: _ok, ...rest } = res;
    return rest as unknown as T;
  }

  return {
    socket,
    /** Resolves once connected; a refused token rejects with `UNAUTHORIZED`. */
    connect(): Promise<void> {
      if (socket.connected) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = () => {
          socket.off('connect', onConnect);
          socket.off('connect_error', onError);
        };
        const onConnect = () => {
          done();
          resolve();
        };
        const onError = (err: Error) => {
          done();
          socket.disconnect();
          reject(
            err.message === 'UNAUTHORIZED'
              ? ackError({ code: 'UNAUTHORIZED', message: err.message })
              : networkError(err.message),
          );
        };
        socket.on('connect', onConnect);
        socket.on('connect_error', onError);
        socket.connect();
      });
    },
    join: async (streamId: string): Promise<StreamJoinAck> => {
      const res = await ack<StreamJoinAck>((cb) => socket.emit('stream:join', { streamId }, cb));
      joined.add(streamId);
      return res;
    },
    leave: async (streamId: string): Promise<void> => {
      joined.delete(streamId);
      await ack<object>((cb) => socket.emit('stream:leave', { streamId }, cb));
    },
    /** Sends a gift; lost acknowledgements, RATE_LIMITED and UNAVAILABLE are retried with the same key. */
    sendGift: (input: SendGiftInput): Promise<GiftSendAck> => {
      const payload = {
        ...input,
        count: input.count ?? 1,
        idempotencyKey: input.idempotencyKey ?? newIdempotencyKey(),
      };
      return withRetries(opts.retry, () => ack<GiftSendAck>((cb) => socket.emit('gift:send', payload, cb)));
    },
    on: <E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]) => {
      socket.on(event, listener as never);
      return () => void socket.off(event, listener as never);
    },
    close: () => void socket.disconnect(),
  };
}

export type RealtimeApi = ReturnType<typeof realtimeApi>;
