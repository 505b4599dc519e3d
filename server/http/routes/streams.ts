import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { createStreamBody } from '../../../shared/contracts/streams';
import { endStream, getStream, publicStream, startStream, type StreamRecord } from '../../../shared/domain/streams';
import { viewerCount } from '../../../shared/domain/viewers';
import { streamRoom } from '../../../shared/contracts/rooms';
import type { ServerContext } from '../../context';
import { authActiveUser, authUser } from '../middleware/auth';
import { battleService } from '../../realtime/battles';

/**
 * A creator's stream ends (their own call, or their suspension). Its battle, pending or active, closes at once: a
 * forfeit, the other side wins. Watchers on every process hear it through the adapter; they stay in the room for a
 * battle's final result.
 */
export async function closeStream(ctx: ServerContext, id: string, creatorId: string): Promise<StreamRecord> {
  const { stream, battleId } = await endStream(ctx, id, creatorId);
  // The stream has ended whatever happens here; if this fails, battle-settle still finds the forfeit at endsAt.
  if (battleId) {
    await battleService(ctx)
      .settle(battleId, stream.endedAt)
      .catch((err: unknown) => ctx.log.error({ err, battleId }, 'forfeit not settled'));
  }
  ctx.io.to(streamRoom(id)).emit('stream:ended', { streamId: id });
  return stream;
}

export function streamRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/streams', async (req, res) => {
    const { title } = parse(createStreamBody, req.body);
    const user = await authActiveUser(ctx, req);
    const stream = await startStream(ctx, user.id, title);
    res.status(201).json({ stream: publicStream(stream) });
  });

  r.post('/v1/streams/:id/end', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const user = await authUser(ctx, req);
    const stream = await closeStream(ctx, id, user.id);
    res.json({ stream: publicStream(stream) });
  });

  r.get('/v1/streams/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const stream = await getStream(ctx, id);
    res.json({ stream: publicStream(stream), viewers: await viewerCount(ctx, id), totalCoins: stream.totalCoins });
  });
  return r;
}
