import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { createStreamBody } from '../../../shared/contracts/streams';
import { getStream, publicStream, startStream } from '../../../shared/domain/streams';
import { viewerCount } from '../../../shared/domain/viewers';
import type { ServerContext } from '../../context';
import { authActiveUser, authUser } from '../middleware/auth';
import { endLiveStream } from '../../../shared/usecases/streams';

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
    const stream = await endLiveStream(ctx, id, user.id);
    res.json({ stream: publicStream(stream) });
  });

  r.get('/v1/streams/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const stream = await getStream(ctx, id);
    res.json({ stream: publicStream(stream), viewers: await viewerCount(ctx, id), totalCoins: stream.totalCoins });
  });
  return r;
}
