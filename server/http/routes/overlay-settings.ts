import { Router } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { overlayRoom } from '../../../shared/contracts/rooms';
import { parse } from '../../../shared/contracts/validate';
import {
  TIERS,
  overlaySettings,
  testAlertBody,
  type OverlaySettingsResponse,
} from '../../../shared/contracts/overlay-settings';
import { creatorOfOverlayKey } from '../../../shared/domain/overlay';
import { getOverlaySettings, saveOverlaySettings, testAlerts } from '../../../shared/domain/overlay-settings';
import { currentLiveStream } from '../../../shared/domain/live-streams';
import type { ServerContext } from '../../context';
import { authUser } from '../middleware/auth';

/*
 * The creator's overlay settings (studio page) and its test alert. Both reach only that creator's overlays, through
 * the overlay room every overlay socket joins at connect: a save restyles open overlays without a reload.
 */
export function overlaySettingsRoutes(ctx: ServerContext): Router {
  const r = Router();

  r.get('/v1/overlay-settings', async (req, res) => {
    const user = await authUser(ctx, req);
    const body: OverlaySettingsResponse = { settings: await getOverlaySettings(ctx, user.id) };
    res.set('Cache-Control', 'no-store').json(body);
  });

  r.put('/v1/overlay-settings', async (req, res) => {
    const settings = parse(overlaySettings, req.body);
    const user = await authUser(ctx, req);
    await saveOverlaySettings(ctx, user.id, settings);
    ctx.io.to(overlayRoom(user.id)).emit('overlay:settings', { settings });
    const body: OverlaySettingsResponse = { settings };
    res.json(body);
  });

  // The overlay reads its creator's settings with its key, as it reads the stream to follow.
  r.get('/v1/overlay/settings', async (req, res) => {
    const key = req.get('x-overlay-key');
    const creatorId = key ? await creatorOfOverlayKey(ctx, key) : null;
    if (!creatorId) throw new GiftwireError('UNAUTHORIZED', 'A valid X-Overlay-Key header is required.');
    const body: OverlaySettingsResponse = { settings: await getOverlaySettings(ctx, creatorId) };
    res.set('Cache-Control', 'no-store').json(body);
  });

  // Plays one tier, or each tier in turn, on the caller's own overlays: marked `test`, no gift recorded, no coin moved.
  r.post('/v1/overlay/test-alert', async (req, res) => {
    const { tier } = parse(testAlertBody, req.body ?? {});
    const user = await authUser(ctx, req);
    const stream = await currentLiveStream(ctx, user.id);
    const items = testAlerts(user, stream?.id ?? '', tier ? [tier] : TIERS, Date.now());
    ctx.io.to(overlayRoom(user.id)).emit('overlay:test', { test: true, items });
    res.status(202).json({ test: true, items });
  });
  return r;
}
