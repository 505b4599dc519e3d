import path from 'node:path';
import { Router } from 'express';
import { asyncApiDocument } from '../openapi/asyncapi';
import { openApiDocument } from '../openapi/document';
import { eventsHtml } from '../openapi/events-html';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes on its elements
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Where swagger-ui-dist is installed. */
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
/** Swagger UI files served from the installed package (no CDN): the bundle and its stylesheet. */
const SWAGGER_FILES = new Set(['swagger-ui-bundle.js', 'swagger-ui.css']);

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#rest', deepLinking: true, docExpansion: 'list',
    defaultModelsExpandDepth: 0, tryItOutEnabled: false });
});`;

const STYLE = `body{margin:0;font-family:system-ui,sans-serif;color:#1b1b1f}
header{padding:16px 24px;background:#1b1b1f;color:#fff}header a{color:#ffd166;margin-right:16px}
main{max-width:1400px;margin:0 auto;padding:0 20px}h2{margin-top:32px}
.event{border:1px solid #ddd;border-radius:6px;padding:8px 16px;margin:12px 0}
.direction{font-size:13px;color:#666;font-weight:normal}details pre{background:#f6f6f8;padding:8px;overflow:auto;font-size:12px}`;

/**
 * The API description (API.md "API description"): `/v1/openapi.json` and `/v1/asyncapi.json`, built once from the
 * route registry and the contract's zod schemas, and `/docs`, a reference page rendering both.
 */
export function docsRoutes(): Router {
  const r = Router();
  let openApi: string | undefined;
  let asyncApi: string | undefined;
  let page: string | undefined;

  r.get('/v1/openapi.json', (_req, res) => {
    openApi ??= JSON.stringify(openApiDocument());
    res.type('json').set('Cache-Control', 'no-cache').send(openApi);
  });
  r.get('/v1/asyncapi.json', (_req, res) => {
    asyncApi ??= JSON.stringify(asyncApiDocument());
    res.type('json').set('Cache-Control', 'no-cache').send(asyncApi);
  });
  r.get('/docs', (_req, res) => {
    page ??= docsPage();
    res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' }).type('html').send(page);
  });
  r.get('/docs/init.js', (_req, res) => {
    res.type('js').set('Cache-Control', 'no-cache').send(INIT_JS);
  });
  r.get('/docs/swagger-ui/:file', (req, res, next) => {
    if (!SWAGGER_FILES.has(req.params.file)) return next();
    res.sendFile(path.join(SWAGGER_DIR, req.params.file), { maxAge: '1h' });
  });
  return r;
}

function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Giftwire API reference</title><link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css"><style>${STYLE}</style></head>
<body><header><strong>Giftwire API reference</strong> &nbsp;
<a href="#rest-section">REST</a><a href="#events">Socket.io events</a>
<a href="/v1/openapi.json">openapi.json</a><a href="/v1/asyncapi.json">asyncapi.json</a></header>
<main><h2 id="rest-section">REST</h2><div id="rest"></div>
<h2 id="events">Socket.io events</h2>${eventsHtml(asyncApiDocument())}</main>
<script src="/docs/swagger-ui/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script>
</body></html>`;
}
