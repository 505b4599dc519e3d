import { Router } from 'express';
import { uuid } from '../../../shared/contracts/common';
import { createGoalBody } from '../../../shared/contracts/goals';
import { parse } from '../../../shared/contracts/validate';
import { createGoal, endGoal, getGoal, streamGoals } from '../../../shared/domain/goals';
import type { ServerContext } from '../../context';
import { authUser } from '../middleware/auth';

/** Goals (docs/API.md, "Goals"): the creator sets and ends them; anyone reads them. */
export function goalRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/streams/:id/goals', async (req, res) => {
    const streamId = parse(uuid, req.params.id, 'id');
    const body = parse(createGoalBody, req.body);
    const user = await authUser(ctx, req);
    const goal = await createGoal(ctx, streamId, user.id, body);
    ctx.events.emit('goal:changed', goal);
    res.status(201).json({ goal });
  });

  r.post('/v1/goals/:id/end', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const user = await authUser(ctx, req);
    const goal = await endGoal(ctx, id, user.id);
    ctx.events.emit('goal:changed', goal);
    res.json({ goal });
  });

  r.get('/v1/goals/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    res.json({ goal: await getGoal(ctx, id) });
  });

  r.get('/v1/streams/:id/goals', async (req, res) => {
    const streamId = parse(uuid, req.params.id, 'id');
    res.json({ items: await streamGoals(ctx, streamId) });
  });
  return r;
}
