import { streamRoom } from '../contracts/rooms';
import type { Deps } from '../domain/deps';
import { GOAL_PUSH_MS, readGoal } from '../domain/goals';
import { passGate } from '../domain/push-gate';
import type { SettleResult } from '../domain/settlement';
import type { Announce } from './announce';

/**
 * The settlement's finishing step ran the room phase of gifts whose accepting process died before it: it announces
 * what they did to goals. `goal:reached` always (this call alone ran the room phase that reached it); `goal:update`
 * when the push gate allows (a later gift's push carries the progress otherwise).
 */
export async function announceGoals(deps: Deps, announce: Announce, results: readonly SettleResult[]): Promise<void> {
  for (const r of results) {
    if (!r.goal) continue;
    const { streamId, goalId, reached } = r.goal;
    try {
      const goal = await readGoal(deps, streamId, goalId);
      if (!goal) continue;
      if (reached) announce(streamRoom(streamId), 'goal:reached', { goal });
      const gate = await passGate(
        deps,
        'goal',
        streamId,
        `${goal.id}:${goal.progressCoins}:${goal.status}`,
        GOAL_PUSH_MS,
      );
      if (gate.verdict === 'push') announce(streamRoom(streamId), 'goal:update', { goal });
    } catch (err) {
      deps.log.warn({ err, goalId }, 'goal announcement failed');
    }
  }
}
