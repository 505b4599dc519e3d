import { Router } from 'express';
import { z } from 'zod';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { suspendBody } from '../../../shared/contracts/users';
import { userRoom } from '../../../shared/contracts/rooms';
import { revokeTokens, setSuspended } from '../../../shared/domain/accounts';
import { audit, listAudit } from '../../../shared/domain/audit';
import { listFlags } from '../../../shared/domain/fraud';
import { applyChargeback, chargebackReport } from '../../../shared/domain/chargebacks';
import { currentLiveStream } from '../../../shared/domain/live-streams';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';
import { endLiveStream } from '../../../shared/usecases/streams';

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/, 'not a cursor from this API')
    .optional(),
});

/**
 * What follows a suspension flag: the user's live stream ends (the flag first, then the stream: a start racing the
 * suspension either sees the flag or is ended here) and their sockets are told. Returns the ended stream's id.
 */
async function afterSuspension(ctx: ServerContext, userId: string, reason: string): Promise<string | null> {
  const live = await currentLiveStream(ctx, userId);
  if (live) await endLiveStream(ctx, live.id, userId);
  ctx.io.to(userRoom(userId)).emit('account:suspended', { reason });
  return live?.id ?? null;
}

/** Operator actions on accounts (API.md v1.1 "Accounts and money safety") and the audit log that records them. */
export function accountRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/admin/users/:id/suspend', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { reason } = parse(suspendBody, req.body);
    authAdmin(ctx, req);
    const user = await setSuspended(ctx, id, reason);
    const endedStreamId = await afterSuspension(ctx, id, reason);
    await audit(ctx, 'user.suspend', id, { reason, endedStreamId });
    res.json({ user });
  });

  r.post('/v1/admin/users/:id/unsuspend', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    authAdmin(ctx, req);
    const user = await setSuspended(ctx, id, null);
    await audit(ctx, 'user.unsuspend', id);
    res.json({ user });
  });

  r.post('/v1/admin/users/:id/revoke-tokens', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    authAdmin(ctx, req);
    const revokedAt = await revokeTokens(ctx, id);
    // realtime tells and drops the user's sockets on every process (server/realtime/account-notices.ts)
    ctx.events.emit('account:revoked', id, revokedAt);
    await audit(ctx, 'user.revoke-tokens', id, { revokedAt });
    res.json({ revokedAt });
  });

  r.post('/v1/admin/recharges/:id/chargeback', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    authAdmin(ctx, req);
    const { chargeback, replay } = await applyChargeback(ctx, id);
    // the buyer was suspended in the chargeback's first step; the rest of a suspension follows (idempotent)
    await afterSuspension(ctx, chargeback.userId, `chargeback of recharge ${id}`);
    // every call is an operator action: a repeat (or the call that finished a dead process's work) is logged too
    await audit(ctx, 'recharge.chargeback', id, { ...chargeback, replay });
    res.json({ chargeback });
  });

  r.get('/v1/admin/chargebacks', async (req, res) => {
    authAdmin(ctx, req);
    res.json(await chargebackReport(ctx));
  });

  r.get('/v1/admin/flags', async (req, res) => {
    const { limit, cursor } = parse(auditQuery, req.query, 'query');
    authAdmin(ctx, req);
    res.json(await listFlags(ctx, limit, cursor));
  });

  r.get('/v1/admin/audit', async (req, res) => {
    const { limit, cursor } = parse(auditQuery, req.query, 'query');
    authAdmin(ctx, req);
    res.json(await listAudit(ctx, limit, cursor));
  });
  return r;
}
