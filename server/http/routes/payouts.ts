import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { idempotencyKey } from '../../../shared/contracts/common';
import { createPayoutBody, payoutsQuery } from '../../../shared/contracts/payouts';
import { enqueuePayout, listPayouts, requestPayout } from '../../../shared/domain/payouts';
import { QUEUES } from '../../../shared/domain/queues';
import type { ServerContext } from '../../context';
import { authActiveUser, authUser } from '../middleware/auth';

/** A creator's cash-outs. Input is parsed before identity (the contract's error precedence). */
export function payoutRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/payouts', async (req, res) => {
    const body = parse(createPayoutBody, req.body);
    const key = parse(idempotencyKey, req.headers['idempotency-key'], 'Idempotency-Key');
    const user = await authActiveUser(ctx, req);
    const { payout, replay } = await requestPayout(ctx, user, body, key);
    // Enqueued on replays too: if the first request died between its script and this line, the repeat (or the
    // sweeper) hands the payout over; the job id is the payout id, so it is queued once.
    if (payout.status === 'pending') await enqueuePayout(ctx.queues.get(QUEUES.payouts), payout.id);
    if (replay) res.setHeader('Idempotent-Replayed', 'true');
    res.status(202).json({ payout });
  });

  r.get('/v1/payouts', async (req, res) => {
    const { limit, cursor } = parse(payoutsQuery, req.query, 'query');
    const user = await authUser(ctx, req);
    res.json(await listPayouts(ctx, user.id, limit, cursor));
  });
  return r;
}
