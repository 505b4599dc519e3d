import { Router } from 'express';
import { rotateOverlayKey } from '../../../shared/domain/overlay';
import type { ServerContext } from '../../context';
import { authUser } from '../middleware/auth';

export function overlayRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/overlay-key', async (req, res) => {
    const user = await authUser(ctx, req);
    const overlayKey = await rotateOverlayKey(ctx, user.id);
    const base = `${req.protocol}://${req.get('host')}`;
    const stream = typeof req.query.streamId === 'string' ? req.query.streamId : '';
    // The overlay page finds the creator's live stream itself; a streamId may pin one.
    const overlayUrl = `${base}/overlay/${stream || 'live'}#key=${overlayKey}`;
    res.status(201).json({ overlayKey, overlayUrl });
  });
  return r;
}
