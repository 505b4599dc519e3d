import type { Socket } from 'socket.io';
import { Counter } from 'prom-client';
import { GiftwireError } from '../../shared/contracts/errors';
import { giftSendPayload, type GiftSendPayload } from '../../shared/contracts/gifts';
import type { GiftSendAck } from '../../shared/contracts/socket';
import { acceptGift } from '../../shared/domain/gifts';
import type { GiftRateLimiter } from '../../shared/domain/gift-rate';
import { accountOfToken } from '../../shared/domain/accounts';
import { assertNotSuspended } from '../../shared/domain/users';
import type { ServerContext, SocketData } from '../context';
import { socketSender } from './auth';
import { handler } from './handler';

/**
 * `gift:send`, in the contract's order of errors: validation (zod, size cap), identity (a user socket whose token
 * has not expired), then acceptGift, which checks age first and applies the rate limiter's verdict after its own
 * checks (existence, state, funds, limits), so RATE_LIMITED is only ever the last reason. A new acceptance is announced
 * on ctx.events ('gift:accepted') for the broadcaster, the leaderboard pushes and the settlement relay; a replay
 * is answered and announced to nobody.
 *
 * Load shedding: past GIFT_MAX_IN_FLIGHT gifts being processed by this process, a send is answered RATE_LIMITED
 * at once (before any Redis work), so an overloaded server keeps its memory and ack latency bounded instead of
 * queueing without limit. Nothing moved; the client retries with the same idempotency key.
 */
export function giftEvents(ctx: ServerContext, rateLimiter: GiftRateLimiter) {
  const accepted = new Counter({
    name: 'giftwire_gifts_accepted_total',
    help: 'gifts accepted by this process (replays excluded)',
    registers: [ctx.metrics],
  });
  const shed = new Counter({
    name: 'giftwire_gifts_shed_total',
    help: 'gift:send answered RATE_LIMITED because this process had GIFT_MAX_IN_FLIGHT gifts in progress',
    registers: [ctx.metrics],
  });
  let inFlight = 0;
  return (socket: Socket) => {
    socket.on(
      'gift:send',
      handler(ctx.log, giftSendPayload, async (p): Promise<GiftSendAck> => {
        const data = socket.data as SocketData;
        socketSender(data); // identity first: a user socket whose token has not expired
        if (inFlight >= ctx.config.giftMaxInFlight) {
          shed.inc();
          throw new GiftwireError('RATE_LIMITED', 'The server is busy; retry with the same idempotency key.');
        }
        inFlight += 1;
        try {
          return await accept(data as SocketData & { role: 'user' }, p);
        } finally {
          inFlight -= 1;
        }
      }),
    );
  };

  async function accept(data: SocketData & { role: 'user' }, p: GiftSendPayload): Promise<GiftSendAck> {
    const { userId } = data;
    // a revocation or suspension since the socket connected counts from this send on
    const sender = await accountOfToken(ctx, { userId, expiresAt: data.tokenExpiresAt, issuedAt: data.tokenIssuedAt });
    assertNotSuspended(sender);
    const rateLimited = await rateLimiter.limited(userId);
    const result = await acceptGift(ctx, {
      sender,
      streamId: p.streamId,
      giftId: p.giftId,
      count: p.count,
      idempotencyKey: p.idempotencyKey,
      rateLimited,
    });
    if (!result.replay) {
      accepted.inc();
      ctx.events.emit('gift:accepted', result);
    } else if (result.announceGoalReached) {
      // a repeat that ran the room phase its first process never ran: what the gift reached is announced here
      ctx.events.emit('gift:finished', result);
    }
    return { gift: result.gift, wallet: result.wallet };
  }
}
