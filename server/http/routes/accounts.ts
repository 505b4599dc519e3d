import { Router } from 'express';
import { z } from 'zod';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { suspendBody } from '../../../shared/contracts/users';
import { userRoom } from '../../../shared/contracts/rooms';
import { revokeTokens, setSuspended } from '../../../shared/domain/accounts';
import { audit, listAudit } from '../../../shared/domain/audit';
import { currentLiveStream } from '../../../shared/domain/stream-directory';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';
import { closeStream } from './streams';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}-\d{1,15}$/, 'not a cursor from this API')
    .optional(),
});

/** Operator actions on accounts (API.md v1.1 "Accounts and money safety") and the audit log that records them. */
export function accountRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/admin/users/:id/suspend', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { reason } = parse(suspendBody, req.body);
    authAdmin(ctx, req);
    const user = await setSuspended(ctx, id, reason);
    // the flag first, then the stream: a start racing the suspension either sees the flag or is ended here
    const live = await currentLiveStream(ctx, id);
    if (live) await closeStream(ctx, live.id, id);
    ctx.io.to(userRoom(id)).emit('account:suspended', { reason });
    await audit(ctx, 'user.suspend', id, { reason, endedStreamId: live?.id ?? null });
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
    // every socket of the user holds a token issued before now: told, then dropped, on every process
    ctx.io.to(userRoom(id)).emit('account:revoked', { revokedAt });
    ctx.io.in(userRoom(id)).disconnectSockets(true);
    await audit(ctx, 'user.revoke-tokens', id, { revokedAt });
    res.json({ revokedAt });
  });

  r.get('/v1/admin/audit', async (req, res) => {
    const { limit, cursor } = parse(auditQuery, req.query, 'query');
    authAdmin(ctx, req);
    res.json(await listAudit(ctx, limit, cursor));
  });
  return r;
}
