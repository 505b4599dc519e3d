import type { Socket } from 'socket.io';
import { GiftwireError } from '../../shared/contracts/errors';
import { streamRoomPayload } from '../../shared/contracts/gifts';
import { creatorRoom, streamRoom, watcherRoom } from '../../shared/contracts/rooms';
import type { StreamJoinAck } from '../../shared/contracts/socket';
import { readBattle } from '../../shared/domain/battle-view';
import { currentGoal } from '../../shared/domain/goals';
import { readBoard } from '../../shared/domain/leaderboards';
import { getStream, publicStream, type StreamRecord } from '../../shared/domain/streams';
import type { ServerContext, SocketData } from '../context';
import { eventBudget } from './event-budget';
import { handler } from './handler';
import type { Presence } from './presence';

/** The stream's own creator (a user socket) or one of their overlays: they get every gift unfolded. */
function isCreatorSide(data: SocketData, stream: StreamRecord): boolean {
  if (data.role === 'user') return data.userId === stream.creatorId;
  if (data.role === 'overlay') return data.creatorId === stream.creatorId;
  return false;
}

/**
 * `stream:join` / `stream:leave`. Every joiner is in the stream room (viewers, leaderboard, battle and end events);
 * the creator's sockets and overlays also join the creator room, everyone else the watchers' room (gifts frames).
 * Anonymous watchers may join live streams only; overlays only their creator's streams.
 * Both spend the socket's event budget first (event-budget.ts): a join/leave flood is refused in memory.
 */
export function registerStreamEvents(ctx: ServerContext, presence: Presence, socket: Socket) {
  const budget = eventBudget(ctx.config, socket);
  socket.on(
    'stream:join',
    handler(ctx.log, streamRoomPayload, async ({ streamId }): Promise<StreamJoinAck> => {
      budget.spend();
      const data = socket.data as SocketData;
      const stream = await getStream(ctx, streamId);
      if (data.role === 'overlay' && data.creatorId !== stream.creatorId) {
        throw new GiftwireError('FORBIDDEN', "An overlay may join only its creator's streams.");
      }
      if (stream.status !== 'live' && data.role === 'anonymous') throw new GiftwireError('STREAM_NOT_LIVE');
      const creatorSide = isCreatorSide(data, stream);
      await socket.join([streamRoom(streamId), creatorSide ? creatorRoom(streamId) : watcherRoom(streamId)]);
      await presence.publish(streamId);
      const [items, battle, viewers, goal] = await Promise.all([
        readBoard(ctx, ctx.keys.lbStream(streamId), ctx.config.leaderboardPushSize),
        stream.battleId ? readBattle(ctx, stream.battleId) : Promise.resolve(null),
        presence.count(streamId),
        currentGoal(ctx, streamId),
      ]);
      return { stream: publicStream(stream), leaderboard: { items }, battle, viewers, goal };
    }),
  );

  socket.on(
    'stream:leave',
    handler(ctx.log, streamRoomPayload, async ({ streamId }) => {
      budget.spend();
      await socket.leave(streamRoom(streamId));
      await socket.leave(creatorRoom(streamId));
      await socket.leave(watcherRoom(streamId));
      await presence.publish(streamId);
      return {};
    }),
  );
}
