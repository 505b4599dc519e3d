import { loadConfig } from '../../../shared/config';
import { startTestServer, type TestServer } from '../support/test-server';

/*
 * Behind a proxy, on another host, with TLS: the URLs Giftwire hands out, which proxies it trusts, which browser
 * origins may call it, and the security headers of its answers.
 */
/** The settings under test, parsed from the environment as in production, over the test server's own config. */
function fromEnv(env: Record<string, string>) {
  const c = loadConfig(env);
  return { publicUrl: c.publicUrl, trustProxy: c.trustProxy, corsOrigins: c.corsOrigins };
}

async function overlayUrl(s: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const creator = await s.createUser();
  const res = await s.request('POST', '/v1/overlay-key', { token: creator.token, headers });
  expect(res.status).toBe(201);
  return res.body.overlayUrl as string;
}

describe('PUBLIC_URL is the base of every URL Giftwire hands out', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(fromEnv({ PUBLIC_URL: 'https://gifts.example.com/' }));
  });
  afterAll(() => s.close());

  it('builds overlayUrl from it, whatever Host the request came with', async () => {
    const url = await overlayUrl(s, { host: 'internal-lb:3000' });
    expect(url).toMatch(/^https:\/\/gifts\.example\.com\/overlay\/live#key=.+$/);
  });

  it('must be an http(s) URL', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'gifts.example.com' })).toThrow(/PUBLIC_URL/);
  });
});

describe("TRUST_PROXY takes express's forms", () => {
  it('parses true/false, a hop count and an address list', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gifts.example.com' };
  const cases: Array<[string, string, RegExp]> = [
    ['1', 'one hop (the test connects from 127.0.0.1)', /^https:\/\/gifts\.example\.com\//],
    ['true', 'every proxy', /^https:\/\/gifts\.example\.com\//],
    ['127.0.0.1', 'an address list naming the proxy', /^https:\/\/gifts\.example\.com\//],
    ['10.0.0.0/8', 'an address list without it', /^http:\/\/127\.0\.0\.1:\d+\//],
    ['false', 'no proxy', /^http:\/\/127\.0\.0\.1:\d+\//],
  ];
  it.each(cases)(
    'TRUST_PROXY=%s (%s): X-Forwarded-Proto/Host are used only from a trusted proxy',
    async (value, _what, expected) => {
      const s = await startTestServer(fromEnv({ TRUST_PROXY: value }));
      try {
        expect(await overlayUrl(s, forwarded)).toMatch(expected);
      } finally {
        await s.close();
      }
    },
  );
});

describe('CORS_ORIGINS', () => {
  const preflight = (s: TestServer, origin: string) =>
    fetch(`${s.url}/v1/wallet`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it('unset: no CORS headers, so browsers allow the same origin only', async () => {
    const s = await startTestServer();
    try {
      const res = await fetch(`${s.url}/v1/gifts`, { headers: { origin: 'https://elsewhere.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(s, 'https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
      const polling = await fetch(`${s.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: 'https://elsewhere.example' },
      });
      expect(polling.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('a comma-separated list: those origins (REST and Socket.io), and no other', async () => {
    const s = await startTestServer(fromEnv({ CORS_ORIGINS: 'https://app.example, https://studio.example/' }));
    try {
      const ok = await preflight(s, 'https://studio.example');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://studio.example');
      expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const get = await fetch(`${s.url}/v1/gifts`, { headers: { origin: 'https://app.example' } });
      expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await fetch(`${s.url}/v1/gifts`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const polling = await fetch(`${s.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin: 'https://app.example' },
      });
      expect(polling.headers.get('access-control-allow-origin')).toBe('https://app.example');
    } finally {
      await s.close();
    }
  });
});

describe("helmet's headers on the API, the pages' own CSP kept", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('sends the security headers on REST answers and errors', async () => {
    for (const path of ['/v1/gifts', '/v1/wallet', '/health/ready']) {
      const res = await fetch(s.url + path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it("keeps the pages' Content-Security-Policy (websockets allowed, scripts from self only)", async () => {
    const res = await fetch(`${s.url}/overlay/live`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});
