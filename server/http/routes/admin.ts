import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { uuid } from '../../../shared/contracts/common';
import { createUserBody, patchUserBody } from '../../../shared/contracts/users';
import { signUserToken } from '../../../shared/domain/auth';
import { createUser, getUser, patchUser } from '../../../shared/domain/users';
import { audit } from '../../../shared/domain/audit';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';

/** Operator routes: create users, mint their tokens, change what an operator may change. */
export function adminRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/admin/users', async (req, res) => {
    const body = parse(createUserBody, req.body);
    authAdmin(ctx, req);
    const user = await createUser(ctx, body);
    res.status(201).json({ user, token: await signUserToken(ctx.config, user.id) });
  });

  r.post('/v1/admin/users/:id/token', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    authAdmin(ctx, req);
    const user = await getUser(ctx, id);
    res.json({ token: await signUserToken(ctx.config, user.id) });
  });

  r.patch('/v1/admin/users/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const body = parse(patchUserBody, req.body);
    authAdmin(ctx, req);
    const user = await patchUser(ctx, id, body);
    await audit(ctx, 'user.patch', id, { ...body });
    res.json({ user });
  });
  return r;
}
