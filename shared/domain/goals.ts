import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { Goal } from '../contracts/models';
import { interpret, script } from '../redis/scripts';
import { findGift } from './catalog';
import type { Deps } from './deps';

/**
 * A stream's goals (docs/ARCHITECTURE.md, "Goals"). A goal lives in its stream's slot, so that a gift's room phase
 * counts into it in the same atomic step as the gift (lua/lib/goal.lua); the stream's `goalId` field names its one
 * unended goal, and a pointer in the goal's own slot finds the stream from the goal id.
 */

/** At most 4 `goal:update` a second per goal, between all processes (the push gate is per stream: one goal each). */
export const GOAL_PUSH_MS = 250;

export interface NewGoal {
  title: string;
  targetCoins: number;
  giftId?: string | undefined;
}

function fromHash(h: Record<string, string>): Goal | null {
  if (!h.id || !h.streamId) return null;
  const status = h.status === 'reached' || h.status === 'ended' ? h.status : 'active';
  return {
    id: h.id,
    streamId: h.streamId,
    title: h.title ?? '',
    targetCoins: Number(h.targetCoins),
    giftId: h.giftId ? h.giftId : null,
    progressCoins: Number(h.progressCoins ?? 0),
    status,
    createdAt: Number(h.createdAt),
    reachedAt: h.reachedAt ? Number(h.reachedAt) : null,
  };
}

/** Sets a goal on a live stream (its creator only; one unended goal per stream). */
export async function createGoal(deps: Deps, streamId: string, userId: string, input: NewGoal): Promise<Goal> {
  if (input.giftId !== undefined && !findGift(input.giftId)) {
    throw new GiftwireError('VALIDATION_FAILED', 'giftId: no such gift in the catalog');
  }
  const k = deps.keys;
  const id = uuidv4();
  // the pointer first: a goal whose creation fails leaves a pointer to a goal that does not exist (NOT_FOUND)
  await deps.redis.set(k.goalStream(id), streamId);
  interpret(
    await script(deps.redis, 'goalCreate')(
      k.stream(streamId),
      k.goal(streamId, id),
      k.streamGoals(streamId),
      id,
      streamId,
      userId,
      input.title,
      input.targetCoins,
      input.giftId ?? '',
    ),
  );
  return getGoal(deps, id);
}

/** Ends a goal (its stream's creator only); ending an ended goal answers it as it is. */
export async function endGoal(deps: Deps, goalId: string, userId: string): Promise<Goal> {
  const streamId = await goalStreamId(deps, goalId);
  interpret(
    await script(deps.redis, 'goalEnd')(deps.keys.stream(streamId), deps.keys.goal(streamId, goalId), goalId, userId),
  );
  return getGoal(deps, goalId);
}

export async function getGoal(deps: Deps, goalId: string): Promise<Goal> {
  const goal = await readGoal(deps, await goalStreamId(deps, goalId), goalId);
  if (!goal) throw new GiftwireError('NOT_FOUND', 'No such goal.');
  return goal;
}

export async function readGoal(deps: Deps, streamId: string, goalId: string): Promise<Goal | null> {
  return fromHash(await deps.redis.hgetall(deps.keys.goal(streamId, goalId)));
}

/** The stream's goals, newest first (NOT_FOUND for a stream that does not exist). */
export async function streamGoals(deps: Deps, streamId: string): Promise<Goal[]> {
  const k = deps.keys;
  if (!(await deps.redis.exists(k.stream(streamId)))) throw new GiftwireError('NOT_FOUND', 'No such stream.');
  const ids = await deps.redis.zrevrange(k.streamGoals(streamId), 0, -1);
  const goals = await Promise.all(ids.map((id) => readGoal(deps, streamId, id)));
  return goals.filter((g): g is Goal => g !== null);
}

/** The stream's unended goal, or null. */
export async function currentGoal(deps: Deps, streamId: string): Promise<Goal | null> {
  const id = await deps.redis.hget(deps.keys.stream(streamId), 'goalId');
  return id ? readGoal(deps, streamId, id) : null;
}

async function goalStreamId(deps: Deps, goalId: string): Promise<string> {
  const streamId = await deps.redis.get(deps.keys.goalStream(goalId));
  if (!streamId) throw new GiftwireError('NOT_FOUND', 'No such goal.');
  return streamId;
}
