import type { Socket } from 'socket.io';
import { Counter } from 'prom-client';
import { GiftwireError } from '../../shared/contracts/errors';
import { giftSendPayload } from '../../shared/contracts/gifts';
import type { GiftSendAck } from '../../shared/contracts/socket';
import type { AcceptedGift, AcceptGiftInput } from '../../shared/domain/gift-types';
import type { Deps } from '../../shared/domain/deps';
import type { GiftRateLimiter } from '../../shared/domain/gift-rate';
import { findUser, isAdult } from '../../shared/domain/users';
import type { ServerContext, SocketData } from '../context';
import { socketSender } from './auth';
import { handler } from './handler';

export type AcceptGift = (deps: Deps, input: AcceptGiftInput) => Promise<AcceptedGift>;

export interface GiftEventsDeps {
  acceptGift: AcceptGift;
  rateLimiter: GiftRateLimiter;
}

/**
 * `gift:send`, in the contract's order of errors: validation (zod, size cap), identity (a user socket whose token
 * has not expired), age, then the rate limiter, whose verdict the atomic phase applies after its own checks
 * (existence, state, funds, limits), so RATE_LIMITED is only ever the last reason. A new acceptance is announced
 * on ctx.events ('gift:accepted') for the broadcaster, the leaderboard pushes and the settlement relay; a replay
 * is answered and announced to nobody.
 */
export function giftEvents(ctx: ServerContext, deps: GiftEventsDeps) {
  const accepted = new Counter({
    name: 'giftwire_gifts_accepted_total',
    help: 'gifts accepted by this process (replays excluded)',
    registers: [ctx.metrics],
  });
  return (socket: Socket) => {
    socket.on(
      'gift:send',
      handler(ctx.log, giftSendPayload, async (p): Promise<GiftSendAck> => {
        const userId = socketSender(socket.data as SocketData);
        const sender = await findUser(ctx, userId);
        if (!sender) throw new GiftwireError('UNAUTHORIZED', 'The token names no known user.');
        if (!isAdult(ctx, sender)) throw new GiftwireError('AGE_RESTRICTED');
        const rateLimited = await deps.rateLimiter.limited(userId);
        const result = await deps.acceptGift(ctx, {
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
        }
        return { gift: result.gift, wallet: result.wallet };
      }),
    );
  };
}
