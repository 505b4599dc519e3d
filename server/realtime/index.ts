import { overlayRoom } from '../../shared/contracts/rooms';
import { userRoom } from '../../shared/contracts/rooms';
import type { ServerContext, SocketData } from '../context';
import { startBroadcaster } from './broadcaster';
import { giftEvents } from './gifts';
import { startLeaderboardPush } from './leaderboard-push';
import { startPresence } from './presence';
import { registerStreamEvents } from './streams';

/** Socket.io features of the server: rooms and presence, gift:send, the broadcaster and leaderboard pushes. */
export function startRealtime(ctx: ServerContext): { flushFrames(): void } {
  const presence = startPresence(ctx);
  const broadcaster = startBroadcaster(ctx);
  startLeaderboardPush(ctx);
  const gifts = giftEvents(ctx);
  ctx.io.on('connection', (socket) => {
    // an operator's suspension or revocation reaches every socket of the user, on every process
    if (socket.data.role === 'user') void socket.join(userRoom(socket.data.userId));
    // Overlay sockets gather by creator, so that rotating the key can reach them on every server process.
    const data = socket.data as SocketData;
    if (data.role === 'overlay') void socket.join(overlayRoom(data.creatorId));
    registerStreamEvents(ctx, presence, socket);
    gifts(socket);
  });
  return { flushFrames: broadcaster.flush };
}
