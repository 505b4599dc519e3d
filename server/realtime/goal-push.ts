import type { Goal } from '../../shared/contracts/models';
import { streamRoom } from '../../shared/contracts/rooms';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import { GOAL_PUSH_MS, readGoal } from '../../shared/domain/goals';
import { passGate } from '../../shared/domain/push-gate';
import type { ServerContext } from '../context';
import { throttledPush } from './throttled-push';

/**
 * Goal pushes. `goal:update`: a goal a gift counted in is re-read one FRAME_TICK_MS later (one set or ended through
 * the API at once) and pushed when it changed since any process's last push, at most once per GOAL_PUSH_MS (push gate); a push that must wait is retried.
 * `goal:reached`: at once, by the process whose room phase reached the goal (the verdict says so only to the call
 * that ran it), so exactly once.
 */
export function startGoalPush(ctx: ServerContext): void {
  const pushes = throttledPush(ctx, 'goal', async (key, open) => {
    const [streamId, goalId] = key.split('/') as [string, string];
    const goal = await readGoal(ctx, streamId, goalId);
    if (!goal) return null;
    const signature = `${goal.id}:${goal.progressCoins}:${goal.status}`;
    const gate = await passGate(ctx, 'goal', streamId, signature, GOAL_PUSH_MS);
    if (gate.verdict === 'push' && open()) ctx.io.to(streamRoom(streamId)).emit('goal:update', { goal });
    return gate.verdict === 'wait' ? gate.retryInMs : null;
  });

  const onAccepted = (a: AcceptedGift) => {
    if (!a.goalId) return;
    pushes.mark(`${a.gift.streamId}/${a.goalId}`, ctx.config.frameTickMs);
    if (a.announceGoalReached) void announceReached(ctx, a.gift.streamId, a.goalId);
  };
  // a goal set or ended through the API goes through the same gate, so the bound holds for those too
  const onChanged = (goal: Goal) => pushes.mark(`${goal.streamId}/${goal.id}`, 0);
  ctx.events.on('gift:accepted', onAccepted);
  ctx.events.on('gift:finished', onAccepted);
  ctx.events.on('goal:changed', onChanged);
  ctx.onClose(() => {
    ctx.events.off('gift:accepted', onAccepted);
    ctx.events.off('gift:finished', onAccepted);
    ctx.events.off('goal:changed', onChanged);
  });
}

async function announceReached(ctx: ServerContext, streamId: string, goalId: string): Promise<void> {
  try {
    const goal = await readGoal(ctx, streamId, goalId);
    if (goal) ctx.announce(streamRoom(streamId), 'goal:reached', { goal });
  } catch (err) {
    ctx.log.warn({ err, goalId }, 'goal:reached not announced');
  }
}
