import { Router, type Response } from 'express';
import { getBundle, type PageName } from '../assets';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { ServerContext } from '../../context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * The pages Giftwire serves itself: `/` (live streams, go live), `/watch/:streamId` (a viewer),
 * `/overlay/:streamId|live` (the creator's OBS browser source, `?widget=` for one part) and `/studio` (the creator's
 * overlay settings and test alert). HTML is revalidated on every load (no-cache + ETag)
 * so a deploy takes effect at once; the scripts and styles it names carry a content hash and are immutable.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="3" y="9" width="18" height="12" rx="2" fill="#ff2e63"/>' +
  '<rect x="2" y="6" width="20" height="4" rx="1" fill="#ff5c8a"/><path d="M12 6v15" stroke="#ffd166" stroke-width="2.4"/></svg>';

export function pageRoutes(ctx: ServerContext): Router {
  const r = Router();

  const sendPage = async (res: Response, page: PageName) => {
    const bundle = await getBundle();
    res
      .set({
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .type('html')
      .send(bundle.html[page]);
  };

  r.get('/', (_req, res) => sendPage(res, 'home'));
  r.get('/studio', (_req, res) => sendPage(res, 'studio'));
  r.get('/watch/:streamId', (req, res) => {
    if (!UUID.test(req.params.streamId)) throw new GiftwireError('NOT_FOUND', 'No such stream.');
    return sendPage(res, 'watch');
  });
  r.get('/overlay/:streamId', (req, res) => {
    if (req.params.streamId !== 'live' && !UUID.test(req.params.streamId))
      throw new GiftwireError('NOT_FOUND', 'No such stream.');
    return sendPage(res, 'overlay');
  });

  r.get('/favicon.svg', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON);
  });

  r.get('/assets/:file', async (req, res) => {
    const asset = (await getBundle()).assets.get(req.params.file);
    if (!asset) throw new GiftwireError('NOT_FOUND', 'No such asset.');
    res
      .set({ 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' })
      .type(asset.type)
      .send(asset.body);
  });

  // Start bundling now outside tests, so a broken front-end shows at start-up and the first visitor waits for nothing.
  if (ctx.config.env !== 'test') {
    getBundle().catch((err: unknown) => ctx.log.error({ err }, 'could not bundle the pages'));
  }
  return r;
}
