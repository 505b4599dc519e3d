import { randomUUID } from 'node:crypto';
import { streamRoom } from '../../shared/contracts/rooms';
import { passGate } from '../../shared/domain/push-gate';
import { beat, forgetProcess, setLocalViewers, viewerCount } from '../../shared/domain/viewers';
import type { ServerContext } from '../context';
import { throttledPush } from './throttled-push';

const STREAM_ROOM = /^stream:([0-9a-f-]{36})$/i;

export interface Presence {
  processId: string;
  /** Writes this process's socket count for the stream now (the join ack must count the joiner). */
  publish(streamId: string): Promise<void>;
  count(streamId: string): Promise<number>;
}

/**
 * Viewer counts: every join or leave of a stream room (including disconnects) updates this process's count in
 * Redis; `viewers` is pushed to the room when the total across processes changed, at most every VIEWERS_PUSH_MS
 * between all processes (push gate). A heartbeat keeps this process's counts alive and re-checks the totals of
 * its streams, so the count also drops when another process dies.
 */
export function startPresence(ctx: ServerContext): Presence {
  const processId = randomUUID();
  const adapter = ctx.io.of('/').adapter;
  const local = () => adapter.rooms;
  const toPublish = new Set<string>();
  let publishScheduled = false;
  let closed = false;
  const ready = beat(ctx, processId).catch((err) => ctx.log.warn({ err }, 'heartbeat failed'));

  const localSize = (streamId: string) => local().get(streamRoom(streamId))?.size ?? 0;

  /** Streams this process has counted sockets for: forgotten at shutdown. */
  const known = new Set<string>();

  async function publish(streamId: string): Promise<void> {
    await ready;
    if (closed) return;
    const n = localSize(streamId);
    if (n > 0) known.add(streamId);
    else known.delete(streamId);
    await setLocalViewers(ctx, processId, streamId, n);
  }

  const pushes = throttledPush(ctx, 'viewers', async (streamId, open) => {
    const count = await viewerCount(ctx, streamId);
    const gate = await passGate(ctx, 'viewers', streamId, String(count), ctx.config.viewersPushMs);
    if (gate.verdict === 'push' && open() && !closed)
      ctx.io.to(streamRoom(streamId)).emit('viewers', { streamId, count });
    return gate.verdict === 'wait' ? gate.retryInMs : null;
  });

  function onRoomChange(room: string): void {
    const m = STREAM_ROOM.exec(room);
    if (!m || closed) return;
    toPublish.add(m[1]!);
    if (publishScheduled) return;
    publishScheduled = true;
    // Coalesce a flood of joins into one write per stream.
    setImmediate(() => {
      publishScheduled = false;
      const ids = [...toPublish];
      toPublish.clear();
      void Promise.all(
        ids.map((id) => publish(id).catch((err) => ctx.log.warn({ err }, 'viewers publish failed'))),
      ).then(() => {
        for (const id of ids) pushes.mark(id, ctx.config.viewersPushMs);
      });
    });
  }
  adapter.on('join-room', onRoomChange);
  adapter.on('leave-room', onRoomChange);

  const heartbeat = setInterval(() => {
    void (async () => {
      await beat(ctx, processId);
      for (const room of local().keys()) {
        const m = STREAM_ROOM.exec(room);
        if (!m) continue;
        await publish(m[1]!);
        pushes.mark(m[1]!, 0);
      }
    })().catch((err) => ctx.log.warn({ err }, 'heartbeat failed'));
  }, ctx.config.processHeartbeatMs);
  heartbeat.unref();

  ctx.onClose(async () => {
    closed = true;
    clearInterval(heartbeat);
    adapter.off('join-room', onRoomChange);
    adapter.off('leave-room', onRoomChange);
    await forgetProcess(ctx, processId, known).catch(() => undefined);
  });

  return { processId, publish, count: (streamId) => viewerCount(ctx, streamId) };
}
