import { Router } from 'express';
import { uuid } from '../../../shared/contracts/common';
import { creatorLeaderboardQuery, streamLeaderboardQuery } from '../../../shared/contracts/leaderboards';
import { parse } from '../../../shared/contracts/validate';
import { creatorLeaderboard, streamLeaderboard } from '../../../shared/domain/leaderboards';
import type { ServerContext } from '../../context';

/** Public reads (no token): a stream's top gifters, and a creator's by UTC day, week (from Monday) or all time. */
export function leaderboardRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.get('/v1/streams/:id/leaderboard', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { limit } = parse(streamLeaderboardQuery, req.query, 'query');
    res.json({ items: await streamLeaderboard(ctx, id, limit) });
  });

  r.get('/v1/creators/:id/leaderboard', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { period, limit } = parse(creatorLeaderboardQuery, req.query, 'query');
    res.json({ items: await creatorLeaderboard(ctx, id, period, limit) });
  });
  return r;
}
