import { streamRoom } from '../../shared/contracts/rooms';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import { boardSignature, readBoard } from '../../shared/domain/leaderboards';
import { passGate } from '../../shared/domain/push-gate';
import type { ServerContext } from '../context';
import { latestState } from './latest-state';
import type { RoomFrames } from './room-frames';
import { throttledPush } from './throttled-push';

/**
 * `leaderboard` pushes: a stream whose gifts this process accepted is re-read one FRAME_TICK_MS later;
 * its top LEADERBOARD_PUSH_SIZE goes to the room only when it differs from the last push of any process, and at
 * most once per LEADERBOARD_PUSH_MS between all processes (push gate); a push that must wait is retried. A socket
 * that is behind gets only the latest board (latest-state.ts). This process's own sockets get it with the stream's
 * next watchers' frame (room-frames.ts alongNextFrame, at most 100 ms on): one write for both.
 */
export function startLeaderboardPush(ctx: ServerContext, frames: RoomFrames): void {
  const states = latestState(ctx);
  const pushes = throttledPush(ctx, 'leaderboard', async (streamId, open) => {
    const items = await readBoard(ctx, ctx.keys.lbStream(streamId), ctx.config.leaderboardPushSize);
    const gate = await passGate(ctx, 'leaderboard', streamId, boardSignature(items), ctx.config.leaderboardPushMs);
    if (gate.verdict === 'push' && open())
      frames.alongNextFrame(streamId, () =>
        states.push([streamRoom(streamId)], `leaderboard:${streamId}`, 'leaderboard', { streamId, items }),
      );
    return gate.verdict === 'wait' ? gate.retryInMs : null;
  });

  const onAccepted = (a: AcceptedGift) => pushes.mark(a.gift.streamId, ctx.config.frameTickMs);
  ctx.events.on('gift:accepted', onAccepted);
  ctx.onClose(() => {
    ctx.events.off('gift:accepted', onAccepted);
  });
}
