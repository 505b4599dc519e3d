import http from 'node:http';
import { startTestServer, type TestServer } from '../support/test-server';

describe('the pages are served with the right caching, and the live-streams list shows streams', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(s.url + path, { headers });

  it('every page is HTML revalidated on each load, naming hashed scripts that are cached for a year', async () => {
    for (const path of [
      '/',
      '/watch/3b241101-e2bb-4255-8caf-4136c566a962',
      '/overlay/live',
      '/overlay/3b241101-e2bb-4255-8caf-4136c566a962',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(scripts.some((a) => /\/assets\/\w+-[A-Z0-9]{8}\.js$/.test(a))).toBe(true);
      for (const a of scripts) {
        const asset = await get(a);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(asset.headers.get('content-type')).toMatch(a.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      }
    }
  });

  it('a page is answered 304 when unchanged (ETag), and an unknown asset or stream id is 404', async () => {
    const first = await get('/');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // node:http, not fetch: fetch adds `Cache-Control: no-cache` to conditional requests, as its spec says.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(`${s.url}/`, { headers: { 'if-none-match': etag! } }, (res) => resolve(res.resume().statusCode))
        .on('error', reject);
    });
    expect(status).toBe(304);
    expect((await get('/assets/nope-ABCDEFGH.js')).status).toBe(404);
    expect((await get('/watch/not-a-stream')).status).toBe(404);
    expect((await get('/overlay/not-a-stream')).status).toBe(404);
  });

  it('GET /v1/streams?status=live lists live streams newest first with their creator, page by page', async () => {
    const creators = await Promise.all([1, 2, 3].map((i) => s.createUser({ displayName: `Creator ${i}` })));
    const started = [];
    for (const [i, c] of creators.entries()) {
      started.push(
        (await s.request('POST', '/v1/streams', { token: c.token, body: { title: `Show ${i + 1}` } })).body.stream,
      );
    }
    // The first one ends: it leaves the live streams.
    await s.request('POST', `/v1/streams/${started[0].id}/end`, { token: creators[0]!.token });

    const first = await s.request('GET', '/v1/streams?status=live&limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      { stream: started[2], creator: { id: creators[2]!.user.id, displayName: 'Creator 3' }, totalCoins: 0 },
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await s.request('GET', `/v1/streams?status=live&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((it: any) => it.stream.id)).toEqual([started[1].id]);
    expect(second.body.nextCursor).toBeNull();

    expect((await s.request('GET', '/v1/streams')).body.items).toHaveLength(2);
    expect((await s.request('GET', '/v1/streams?status=ended')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await s.request('GET', '/v1/streams?cursor=garbage')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await s.request('GET', '/v1/streams?limit=101')).status).toBe(400);
  });

  it("an overlay key finds its creator's live stream; a wrong key is UNAUTHORIZED", async () => {
    const c = await s.createUser();
    const { overlayKey, overlayUrl } = (await s.request('POST', '/v1/overlay-key', { token: c.token })).body;
    expect(overlayUrl).toBe(`${s.url}/overlay/live#key=${overlayKey}`);
    const headers = { 'x-overlay-key': overlayKey };
    expect((await s.request('GET', '/v1/overlay/stream', { headers })).body).toEqual({
      creatorId: c.user.id,
      stream: null,
    });
    const { stream } = (await s.request('POST', '/v1/streams', { token: c.token, body: { title: 'On air' } })).body;
    expect((await s.request('GET', '/v1/overlay/stream', { headers })).body).toEqual({ creatorId: c.user.id, stream });
    const bad = await s.request('GET', '/v1/overlay/stream', { headers: { 'x-overlay-key': 'A'.repeat(32) } });
    expect(bad.status).toBe(401);
    expect((await s.request('GET', '/v1/overlay/stream')).status).toBe(401);
  });
});

describe('a new overlay key cuts off the old one at once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('an open overlay is disconnected and its key refused; the new key connects', async () => {
    const c = await s.createUser();
    const first = (await s.request('POST', '/v1/overlay-key', { token: c.token })).body.overlayKey;
    const overlay = await s.connect({ overlayKey: first });
    const dropped = new Promise<string>((resolve) => overlay.once('disconnect', resolve));
    const second = (await s.request('POST', '/v1/overlay-key', { token: c.token })).body.overlayKey;
    expect(await dropped).toBe('io server disconnect');
    await expect(s.connect({ overlayKey: first })).rejects.toThrow('UNAUTHORIZED');
    expect((await s.connect({ overlayKey: second })).connected).toBe(true);
  });
});
