import { Router } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import { uuid } from '../../../shared/contracts/common';
import { parse } from '../../../shared/contracts/validate';
import { overlayKeyRoom } from '../../../shared/contracts/rooms';
import type { OverlayStreamResponse } from '../../../shared/contracts/live-streams';
import { creatorOfOverlayKey, overlayKeyDigest, rotateOverlayKey } from '../../../shared/domain/overlay';
import { currentLiveStream } from '../../../shared/domain/live-streams';
import type { ServerContext } from '../../context';
import { authUser } from '../middleware/auth';

export function overlayRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/overlay-key', async (req, res) => {
    const pinned = req.query.streamId === undefined ? undefined : parse(uuid, req.query.streamId, 'streamId');
    const user = await authUser(ctx, req);
    const { key: overlayKey, previous } = await rotateOverlayKey(ctx, user.id);
    // The old key stops working at once, open overlays included: they are dropped and cannot reconnect with it.
    // Only the old key's: an overlay already opened with the new one stays.
    if (previous) ctx.io.in(overlayKeyRoom(overlayKeyDigest(previous))).disconnectSockets(true);
    // Behind a proxy the request's own host and scheme may not be the public ones: PUBLIC_URL says what they are,
    // else a trusted proxy's X-Forwarded-Proto/Host (TRUST_PROXY).
    const base = ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
    // The overlay page finds the creator's live stream itself; a streamId may pin one. The key travels in the
    // fragment, which browsers never send to a server: it stays out of access logs and Referer headers.
    const overlayUrl = `${base}/overlay/${pinned ?? 'live'}#key=${overlayKey}`;
    res.status(201).json({ overlayKey, overlayUrl });
  });

  // The overlay page of /overlay/live asks which stream to follow: the key's creator's live stream, or null.
  r.get('/v1/overlay/stream', async (req, res) => {
    const key = req.get('x-overlay-key');
    const creatorId = key ? await creatorOfOverlayKey(ctx, key) : null;
    if (!creatorId) throw new GiftwireError('UNAUTHORIZED', 'A valid X-Overlay-Key header is required.');
    const body: OverlayStreamResponse = { creatorId, stream: await currentLiveStream(ctx, creatorId) };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return r;
}
