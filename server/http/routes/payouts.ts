import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { idempotencyKey } from '../../../shared/contracts/common';
import { createDestinationBody, createPayoutBody, payoutsQuery } from '../../../shared/contracts/payouts';
import { uuid } from '../../../shared/contracts/common';
import { addPayoutDestination, listPayoutDestinations } from '../../../shared/domain/payout-destinations';
import { audit } from '../../../shared/domain/audit';
import { crashPoint } from '../../../shared/domain/crash-points';
import { listPayouts, publicPayout, reviewPayout } from '../../../shared/domain/payouts';
import { enqueuePayout, QUEUES } from '../../../shared/runtime/queues';
import { cashOut } from '../../../shared/usecases/payouts';
import type { ServerContext } from '../../context';
import { authActiveUser, authAdmin, authUser } from '../middleware/auth';

/** A creator's cash-outs. Input is parsed before identity (the contract's error precedence). */
export function payoutRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/payouts', async (req, res) => {
    const body = parse(createPayoutBody, req.body);
    const key = parse(idempotencyKey, req.headers['idempotency-key'], 'Idempotency-Key');
    const user = await authActiveUser(ctx, req);
    const { payout, replay } = await cashOut(ctx, user, body, key);
    if (replay) res.setHeader('Idempotent-Replayed', 'true');
    res.status(202).json({ payout });
  });

  r.get('/v1/payouts', async (req, res) => {
    const { limit, cursor } = parse(payoutsQuery, req.query, 'query');
    const user = await authUser(ctx, req);
    res.json(await listPayouts(ctx, user.id, limit, cursor));
  });

  r.post('/v1/payout-destinations', async (req, res) => {
    const { destination } = parse(createDestinationBody, req.body);
    const user = await authActiveUser(ctx, req);
    res.status(201).json({ destination: await addPayoutDestination(ctx, user, destination) });
  });

  r.get('/v1/payout-destinations', async (req, res) => {
    const user = await authUser(ctx, req);
    res.json({ items: await listPayoutDestinations(ctx, user.id) });
  });

  for (const action of ['approve', 'reject'] as const) {
    r.post(`/v1/admin/payouts/:id/${action}`, async (req, res) => {
      const id = parse(uuid, req.params.id, 'id');
      authAdmin(ctx, req);
      const { payout, replay } = await reviewPayout(ctx, id, action);
      crashPoint(ctx, 'review');
      // on a replay too: if the first approval died before this line, the repeat hands the payout over (job id =
      // payout id, queued once); the sweeper would find it as well
      if (payout.status === 'pending') await enqueuePayout(ctx.queues.get(QUEUES.payouts), payout.id);
      await audit(ctx, `payout.${action}`, id, { userId: payout.userId, diamonds: payout.diamonds, replay });
      res.json({ payout: publicPayout(payout) });
    });
  }
  return r;
}
