import { randomUUID } from 'node:crypto';
import { streamRoom, watcherRoom } from '../../shared/contracts/rooms';
import { passGate } from '../../shared/domain/push-gate';
import { beat, forgetProcess, setLocalViewers, viewerCount, type LocalViewers } from '../../shared/domain/viewers';
import type { ServerContext, SocketData } from '../context';
import { latestState } from './latest-state';
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
 * between all processes (push gate), as a latest state (a socket that is behind gets only the last count). A heartbeat keeps this process's counts alive and re-checks the totals of
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

  /** Viewers are people (shared/domain/viewers.ts): the watchers' room holds neither the creator nor overlays. */
  const localViewers = (streamId: string): LocalViewers => {
    const tally: LocalViewers = { anonymous: 0, users: new Set() };
    for (const id of local().get(watcherRoom(streamId)) ?? []) {
      const data = ctx.io.of('/').sockets.get(id)?.data as SocketData | undefined;
      if (data?.role === 'user') tally.users.add(data.userId);
      else if (data?.role === 'anonymous') tally.anonymous += 1;
    }
    return tally;
  };

  /** What this process last wrote per stream (its signed-in viewers): updated by difference, forgotten at shutdown. */
  const published = new Map<string, Set<string>>();
  const unsynced = new Map<string, Set<string>>();

  async function publish(streamId: string): Promise<void> {
    await ready;
    if (closed) return;
    const now = localViewers(streamId);
    const before = published.get(streamId);
    if (now.anonymous > 0 || now.users.size > 0) published.set(streamId, now.users);
    else published.delete(streamId);
    // After a failed write, what Redis holds is unknown: the next publish rewrites every field it may have left.
    const unsure = unsynced.get(streamId);
    unsynced.delete(streamId);
    try {
      await setLocalViewers(
        ctx,
        processId,
        streamId,
        now,
        unsure ? new Set([...unsure, ...(before ?? [])]) : before,
        !!unsure,
      );
    } catch (err) {
      unsynced.set(streamId, new Set([...(unsure ?? []), ...(before ?? []), ...now.users]));
      if (!published.has(streamId)) published.set(streamId, new Set());
      throw err;
    }
  }

  const states = latestState(ctx);
  const pushes = throttledPush(ctx, 'viewers', async (streamId, open) => {
    const count = await viewerCount(ctx, streamId);
    const gate = await passGate(ctx, 'viewers', streamId, String(count), ctx.config.viewersPushMs);
    if (gate.verdict === 'push' && open() && !closed)
      states.push([streamRoom(streamId)], `viewers:${streamId}`, 'viewers', { streamId, count });
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
    await forgetProcess(ctx, processId, published).catch(() => undefined);
  });

  return { processId, publish, count: (streamId) => viewerCount(ctx, streamId) };
}
