import { Router } from 'express';
import { listGifts, listPackages } from '../../../shared/domain/catalog';

export function catalogRoutes(): Router {
  const r = Router();
  r.get('/v1/coin-packages', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ packages: listPackages() });
  });
  r.get('/v1/gifts', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ gifts: listGifts() });
  });
  return r;
}
