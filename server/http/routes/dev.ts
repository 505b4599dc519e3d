import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import { devLoginBody } from '../../../shared/contracts/users';
import { signUserToken } from '../../../shared/domain/auth';
import { createUser } from '../../../shared/domain/users';
import type { ServerContext } from '../../context';

/** Development login for the demo pages: a new adult, verified user. Not mounted in production. */
export function devRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/dev/login', async (req, res) => {
    const { displayName } = parse(devLoginBody, req.body);
    const user = await createUser(ctx, { displayName, birthDate: '1990-01-01', verified: true, followers: 0 });
    res.json({ user, token: await signUserToken(ctx.config, user.id) });
  });
  return r;
}
