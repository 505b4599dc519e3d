import { DEFAULT_RETRY, type RetryPolicy } from './errors';
import { realtimeApi, type RealtimeApi } from './realtime';
import { restApi, type RestApi } from './rest';

/**
 * The Giftwire client for viewers' apps, overlays and integrators: the REST routes and Socket.io events of the
 * contract, typed from shared/contracts. Browser-safe (fetch, Web Crypto, socket.io-client); Node 20 works too.
 *
 *   const gw = createGiftwireClient({ baseUrl: 'http://localhost:3000', token });
 *   await gw.realtime.connect();
 *   await gw.realtime.join(streamId);
 *   const { gift, wallet } = await gw.realtime.sendGift({ streamId, giftId: 'rose' });
 */
export interface GiftwireClientOptions {
  baseUrl: string;
  /** A user token (or the operator token for `rest.admin`). */
  token?: string;
  /** Connect the socket as a creator's overlay instead. */
  overlayKey?: string;
  retry?: Partial<RetryPolicy>;
  /** Per REST try and per acknowledgement (default 10 s). */
  timeoutMs?: number;
  /** Another fetch (tests, older runtimes). */
  fetch?: typeof fetch;
}

export interface GiftwireClient {
  rest: RestApi;
  /** The socket is created at once and connected by `realtime.connect()`. */
  realtime: RealtimeApi;
  close(): void;
}

export function createGiftwireClient(opts: GiftwireClientOptions): GiftwireClient {
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const rest = restApi({
    baseUrl: opts.baseUrl,
    token: opts.token,
    retry,
    timeoutMs,
    fetch: opts.fetch ?? ((...args) => globalThis.fetch(...args)),
  });
  const realtime = realtimeApi({
    baseUrl: opts.baseUrl,
    token: opts.token,
    overlayKey: opts.overlayKey,
    ackTimeoutMs: timeoutMs,
    retry,
  });
  return { rest, realtime, close: () => realtime.close() };
}

export { ApiError } from '../contracts/api-error';
export type { RetryPolicy } from './errors';
export { newIdempotencyKey } from './ids';
export type { GiftwireSocket, SendGiftInput } from './realtime';
export type * from './rest';
export type { ErrorCode } from '../contracts/errors';
export type * from '../contracts/models';
export type { Gift, CoinPackage, GiftTier } from '../contracts/catalog';
export type { User } from '../contracts/users';
export type {
  GiftsFrame,
  GiftSendAck,
  StreamJoinAck,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../contracts/socket';
