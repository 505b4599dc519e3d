import type { Deps } from './deps';

/** What the gift path reads of a stream before its wallet phase. */
export interface StreamView {
  creatorId: string;
  battleId: string;
  status: string;
  /** The stream's unended goal ('' none): the room phase counts the gift there and re-checks it (STALE). */
  goalId: string;
}

/**
 * creatorId never changes and an ended stream never comes back, so the view is cached; a live stream may end and its
 * battle may change: the room phase re-checks both and answers STALE or STREAM_NOT_LIVE.
 */
const views = new Map<string, StreamView>();
const MAX_VIEWS = 10_000;

export async function streamView(deps: Deps, streamId: string, refresh: boolean): Promise<StreamView | null> {
  const key = deps.keys.stream(streamId);
  const cached = views.get(key);
  if (cached && !refresh) return cached;
  const [creatorId, battleId, status, goalId] = await deps.redis.hmget(
    key,
    'creatorId',
    'battleId',
    'status',
    'goalId',
  );
  if (!creatorId) {
    views.delete(key);
    return null;
  }
  const view = { creatorId, battleId: battleId ?? '', status: status ?? '', goalId: goalId ?? '' };
  if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value!);
  views.set(key, view);
  return view;
}
