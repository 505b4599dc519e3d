import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { liveStreamsQuery } from '../../../shared/contracts/live-streams';
import { pageLiveStreams } from '../../../shared/domain/live-streams';
import type { ServerContext } from '../../context';

/** `GET /v1/streams?status=live`: the live streams the home page lists. Public, like every stream GET. */
export function liveStreamRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.get('/v1/streams', async (req, res) => {
    const q = parse(liveStreamsQuery, req.query, 'query');
    const page = await pageLiveStreams(ctx, q);
    res.set('Cache-Control', 'no-cache').json(page);
  });
  return r;
}
