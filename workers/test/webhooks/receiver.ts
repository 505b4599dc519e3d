import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got: what the wire carried, and whether its signature verified. */
export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: number; data: any };
  verified: boolean;
  answered: number;
}

/**
 * A receiver as an integrator writes one from docs/API.md: it checks `Giftwire-Signature` (t=..,v1=hex HMAC-SHA256
 * of "<t>.<raw body>" keyed with the webhook's secret) on the raw body, written here from the contract and not
 * with Giftwire's own code. `answers` are the statuses it gives, one per request, the last one repeated.
 */
export async function startReceiver(answers: number[] = [200]) {
  const got: Received[] = [];
  let secret = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const answered = answers[Math.min(got.length, answers.length - 1)]!;
      got.push({
        headers: req.headers,
        raw,
        body: JSON.parse(raw),
        verified: verify(secret, req.headers, raw),
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/giftwire`,
    port,
    got,
    setSecret(s: string) {
      secret = s;
    },
    setAnswers(next: number[]) {
      answers = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export function verify(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const header = String(headers['giftwire-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}
