import { streamRoom } from '../../shared/contracts/rooms';
import type { AcceptedGift } from '../../shared/domain/gift-types';
import { boardSignature, readBoard } from '../../shared/domain/leaderboards';
import { passGate } from '../../shared/domain/push-gate';
import type { ServerContext } from '../context';

/**
 * `leaderboard` pushes: a stream whose gifts this process accepted is re-read one FRAME_TICK_MS later;
 * its top LEADERBOARD_PUSH_SIZE goes to the room only when it differs from the last push of any process, and at
 * most once per LEADERBOARD_PUSH_MS between all processes (push gate); a push that must wait is retried.
 */
export function startLeaderboardPush(ctx: ServerContext): void {
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function schedule(delayMs: number): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delayMs);
  }

  async function flush(): Promise<void> {
    const ids = [...dirty];
    dirty.clear();
    let retry: number | null = null;
    await Promise.all(
      ids.map(async (streamId) => {
        try {
          const items = await readBoard(ctx, ctx.keys.lbStream(streamId), ctx.config.leaderboardPushSize);
          const gate = await passGate(
            ctx,
            'leaderboard',
            streamId,
            boardSignature(items),
            ctx.config.leaderboardPushMs,
          );
          if (gate.verdict === 'push' && !closed)
            ctx.io.to(streamRoom(streamId)).emit('leaderboard', { streamId, items });
          if (gate.verdict === 'wait') {
            dirty.add(streamId);
            retry = Math.min(retry ?? Infinity, gate.retryInMs);
          }
        } catch (err) {
          if (!closed) ctx.log.warn({ err, streamId }, 'leaderboard push failed');
        }
      }),
    );
    if (retry !== null) schedule(Math.max(10, retry));
  }

  const onAccepted = (a: AcceptedGift) => {
    dirty.add(a.gift.streamId);
    schedule(ctx.config.frameTickMs);
  };
  ctx.events.on('gift:accepted', onAccepted);
  ctx.onClose(() => {
    closed = true;
    ctx.events.off('gift:accepted', onAccepted);
    if (timer) clearTimeout(timer);
  });
}
