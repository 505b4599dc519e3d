import { overlayKeyRoom, overlayRoom, userRoom } from '../../shared/contracts/rooms';
import type { ServerContext, SocketData } from '../context';
import { startAccountNotices } from './account-notices';
import { startBroadcaster } from './broadcaster';
import { giftEvents } from './gifts';
import { startLeaderboardPush } from './leaderboard-push';
import { startGoalPush } from './goal-push';
import { startPresence } from './presence';
import { startStreakEnds } from './streak-ends';
import { registerStreamEvents } from './streams';
import { watchSlowSockets } from './slow-sockets';
import { batchSocketWrites } from './socket-writes';

/** Socket.io features of the server: rooms and presence, gift:send, the broadcaster and leaderboard pushes. */
export function startRealtime(ctx: ServerContext): { flushFrames(): void } {
  const presence = startPresence(ctx);
  const broadcaster = startBroadcaster(ctx);
  startLeaderboardPush(ctx, broadcaster.frames);
  startGoalPush(ctx);
  startStreakEnds(ctx, broadcaster.frames);
  watchSlowSockets(ctx);
  batchSocketWrites(ctx.io);
  const gifts = giftEvents(ctx);
  startAccountNotices(ctx);
  // The socket's own rooms are joined before it is connected: on a Redis Cluster a join subscribes to a shard
  // channel, and a notice sent just after the client saw `connect` must already find the socket there.
  ctx.io.use((socket, next) => {
    const data = socket.data as SocketData;
    // an operator's suspension or revocation reaches every socket of the user, on every process
    if (data.role === 'user') joined(socket.join(userRoom(data.userId)), next);
    // overlay sockets gather by creator, so that rotating the key can reach them on every server process
    // (and by key, so that a new key drops only the overlays of the old one)
    else if (data.role === 'overlay') {
      joined(socket.join([overlayRoom(data.creatorId), overlayKeyRoom(data.keyDigest)]), next);
    } else next();
  });
  ctx.io.on('connection', (socket) => {
    registerStreamEvents(ctx, presence, socket);
    gifts(socket);
  });
  return { flushFrames: broadcaster.flush };
}

/** Continues the handshake once the join has taken (an adapter's join may be a promise). */
function joined(join: Promise<void> | void, next: (err?: Error) => void): void {
  Promise.resolve(join).then(
    () => next(),
    (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
  );
}
