import { createGiftRateLimiter } from '../../shared/domain/gift-rate';
import { userRoom } from '../../shared/contracts/rooms';
import type { ServerContext } from '../context';
import { startBroadcaster } from './broadcaster';
import { giftEvents, type AcceptGift } from './gifts';
import { startLeaderboardPush } from './leaderboard-push';
import { startPresence, type Presence } from './presence';
import { registerStreamEvents } from './streams';

/** Socket.io features of the server: rooms and presence, gift:send, the broadcaster and leaderboard pushes. */
export function startRealtime(ctx: ServerContext, acceptGift: AcceptGift): { presence: Presence; flushFrames(): void } {
  const presence = startPresence(ctx);
  const broadcaster = startBroadcaster(ctx);
  startLeaderboardPush(ctx);
  const gifts = giftEvents(ctx, { acceptGift, rateLimiter: createGiftRateLimiter(ctx) });
  ctx.io.on('connection', (socket) => {
    // an operator's suspension or revocation reaches every socket of the user, on every process
    if (socket.data.role === 'user') void socket.join(userRoom(socket.data.userId));
    registerStreamEvents(ctx, presence, socket);
    gifts(socket);
  });
  return { presence, flushFrames: broadcaster.flush };
}
