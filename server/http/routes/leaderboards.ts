import { Router } from 'express';
import { uuid } from '../../../shared/contracts/common';
import {
  creatorLeaderboardQuery,
  creatorRankingsQuery,
  streamLeaderboardQuery,
} from '../../../shared/contracts/leaderboards';
import { parse } from '../../../shared/contracts/validate';
import { creatorLeaderboard, creatorRankings, streamLeaderboard } from '../../../shared/domain/leaderboards';
import type { ServerContext } from '../../context';

/**
 * Public reads (no token): a stream's gifters, a creator's by UTC hour, day, week (from Monday), month or all time,
 * and the creators ranked by what they received; each pages with `cursor` (docs/API.md, "Leaderboards").
 */
export function leaderboardRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.get('/v1/streams/:id/leaderboard', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const q = parse(streamLeaderboardQuery, req.query, 'query');
    res.json(await streamLeaderboard(ctx, id, q));
  });

  r.get('/v1/creators/:id/leaderboard', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { period, ...q } = parse(creatorLeaderboardQuery, req.query, 'query');
    res.json(await creatorLeaderboard(ctx, id, period, q));
  });

  r.get('/v1/leaderboards/creators', async (req, res) => {
    const { period, ...q } = parse(creatorRankingsQuery, req.query, 'query');
    res.json(await creatorRankings(ctx, period, q));
  });
  return r;
}
