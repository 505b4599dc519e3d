import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { createBattleBody } from '../../../shared/contracts/battles';
import type { ServerContext } from '../../context';
import {
  acceptBattleInvite,
  closeDueBattle,
  inviteToBattle,
  respondToBattleInvite,
} from '../../../shared/usecases/battles';
import { authActiveUser } from '../middleware/auth';

/** Gift wars (docs/API.md "Battles"). Every transition is checked in Lua; see shared/usecases/battles.ts. */
export function battleRoutes(ctx: ServerContext): Router {
  const r = Router();

  r.post('/v1/battles', async (req, res) => {
    const body = parse(createBattleBody, req.body);
    const user = await authActiveUser(ctx, req);
    res.status(201).json({ battle: await inviteToBattle(ctx, user.id, body) });
  });

  r.post('/v1/battles/:id/accept', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const user = await authActiveUser(ctx, req);
    res.json({ battle: await acceptBattleInvite(ctx, id, user.id) });
  });

  for (const action of ['decline', 'cancel'] as const) {
    r.post(`/v1/battles/:id/${action}`, async (req, res) => {
      const id = parse(uuid, req.params.id, 'id');
      const user = await authActiveUser(ctx, req);
      res.json({ battle: await respondToBattleInvite(ctx, id, user.id, action) });
    });
  }

  // No token: battles are public. A battle overdue for its end is settled on the spot, so a reader never sees
  // an active battle past endsAt even while the timer worker is down.
  r.get('/v1/battles/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    res.json({ battle: await closeDueBattle(ctx, id) });
  });
  return r;
}
