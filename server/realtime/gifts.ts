import type { Socket } from 'socket.io';
import { Counter } from 'prom-client';
import { GiftwireError } from '../../shared/contracts/errors';
import { giftSendPayload, type GiftSendPayload } from '../../shared/contracts/gifts';
import type { GiftSendAck } from '../../shared/contracts/socket';
import type { User } from '../../shared/contracts/users';
import { acceptGift } from '../../shared/domain/gifts';
import { batchCounts } from '../../shared/redis/script-batches';
import { accountOfToken } from '../../shared/domain/accounts';
import { assertNotSuspended } from '../../shared/domain/users';
import type { ServerContext, SocketData } from '../context';
import { socketSender } from './auth';
import { eventBudget } from './event-budget';
import { handler } from './handler';

type UserSocketData = SocketData & { role: 'user' };

/**
 * How long a socket keeps its sender's record. Revocation and suspension do not depend on it (the wallet phase reads
 * them in the sender's slot); only the age and the name shown to a refused-early sender do, and those barely move.
 */
const SENDER_CACHE_MS = 60_000;

/**
 * `gift:send`, in the contract's order of errors: validation (zod, size cap), identity (a user socket whose token
 * has not expired), then acceptGift: age, existence, state, and the wallet phase (account, funds, limits, then the
 * rate as an exact token bucket), so RATE_LIMITED from the rate is only ever the last reason. A new acceptance is
 * announced on ctx.events ('gift:accepted') for the broadcaster, the leaderboard pushes and the settlement relay; a
 * replay is answered and announced to nobody.
 *
 * Refused before any Redis work, in memory: an anonymous or overlay socket (UNAUTHORIZED), a socket past its event
 * budget (event-budget.ts), and a send past GIFT_MAX_IN_FLIGHT gifts in progress in this process (load shedding:
 * memory and ack latency stay bounded). Both answer RATE_LIMITED; nothing moved, so the client retries with the same
 * idempotency key. With the sender's record cached per socket, an accepted gift costs one Redis call per phase.
 */
export function giftEvents(ctx: ServerContext) {
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
  const overBudget = new Counter({
    name: 'giftwire_socket_events_refused_total',
    help: 'gift:send refused in memory because its socket was past its event budget',
    registers: [ctx.metrics],
  });
  // micro-batching (script-batches.ts): gifts per Redis call = gifts_total / calls_total, by phase
  for (const [name, field, help] of [
    ['giftwire_gift_script_calls_total', 'calls', 'Redis calls of the gift phases (a batch counts once), by script'],
    ['giftwire_gift_script_gifts_total', 'gifts', 'gifts those calls carried, by script'],
  ] as const) {
    new Counter({
      name,
      help,
      labelNames: ['script'],
      registers: [ctx.metrics],
      collect() {
        this.reset();
        for (const [script, c] of batchCounts) this.inc({ script }, c[field]);
      },
    });
  }
  let inFlight = 0;
  return (socket: Socket) => {
    const budget = eventBudget(ctx.config, socket);
    const senders = new SenderCache(ctx);
    socket.on(
      'gift:send',
      handler(ctx.log, giftSendPayload, async (p): Promise<GiftSendAck> => {
        const data = socket.data as SocketData;
        socketSender(data); // identity first: a user socket whose token has not expired
        try {
          budget.spend();
        } catch (err) {
          overBudget.inc();
          throw err;
        }
        if (inFlight >= ctx.config.giftMaxInFlight) {
          shed.inc();
          throw new GiftwireError('RATE_LIMITED', 'The server is busy; retry with the same idempotency key.');
        }
        inFlight += 1;
        try {
          return await accept(data as UserSocketData, senders, p);
        } finally {
          inFlight -= 1;
        }
      }),
    );
  };

  async function accept(data: UserSocketData, senders: SenderCache, p: GiftSendPayload): Promise<GiftSendAck> {
    const sender = await senders.get(data);
    try {
      const result = await acceptGift(ctx, {
        sender,
        tokenIssuedAt: data.tokenIssuedAt,
        streamId: p.streamId,
        giftId: p.giftId,
        count: p.count,
        idempotencyKey: p.idempotencyKey,
      });
      if (!result.replay) {
        accepted.inc();
        ctx.events.emit('gift:accepted', result);
      } else if (result.announceGoalReached) {
        // a repeat that ran the room phase its first process never ran: what the gift reached is announced here
        ctx.events.emit('gift:finished', result);
      }
      return { gift: result.gift, wallet: result.wallet };
    } catch (err) {
      // the account changed under the cached record: read it afresh next time
      if (err instanceof GiftwireError && (err.code === 'UNAUTHORIZED' || err.code === 'ACCOUNT_SUSPENDED')) {
        senders.drop();
      }
      throw err;
    }
  }
}

/**
 * One socket's sender record. Read once and kept for SENDER_CACHE_MS; a suspended or revoked account is never kept
 * (each send reads it again, within the socket's event budget), so lifting a suspension counts at once too.
 */
class SenderCache {
  private user: User | undefined;
  private readAt = 0;

  constructor(private readonly ctx: ServerContext) {}

  async get(data: UserSocketData): Promise<User> {
    const now = Date.now();
    if (this.user && now - this.readAt < SENDER_CACHE_MS) return this.user;
    this.user = undefined;
    const user = await accountOfToken(this.ctx, {
      userId: data.userId,
      expiresAt: data.tokenExpiresAt,
      issuedAt: data.tokenIssuedAt,
    });
    assertNotSuspended(user);
    this.user = user;
    this.readAt = now;
    return user;
  }

  drop(): void {
    this.user = undefined;
  }
}
