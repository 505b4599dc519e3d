import { streamRoom } from '../contracts/rooms';
import { readGoal } from '../domain/goals';
import { endStream, type StreamRecord } from '../domain/streams';
import { closeDueBattle } from './battles';
import type { AnnouncingDeps } from './context';

/**
 * A creator ends their stream. Its battle, pending or active, closes at once (a forfeit: the other side wins), and
 * the stream room hears stream:ended; watchers stay in the room for a battle's final result.
 */
export async function endLiveStream(deps: AnnouncingDeps, streamId: string, userId: string): Promise<StreamRecord> {
  const { stream, battleId, goalId } = await endStream(deps, streamId, userId);
  // The stream has ended whatever happens here; if this fails, battle-close still finds the forfeit at endsAt.
  if (battleId) {
    await closeDueBattle(deps, battleId, stream.endedAt).catch((err: unknown) =>
      deps.log.error({ err, battleId }, 'forfeit not closed'),
    );
  }
  deps.announce(streamRoom(streamId), 'stream:ended', { streamId });
  // its goal ended with it: the goal bars show it
  const goal = goalId ? await readGoal(deps, streamId, goalId) : null;
  if (goal) deps.announce(streamRoom(streamId), 'goal:update', { goal });
  return stream;
}
