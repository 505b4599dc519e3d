import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Query-string (or fragment) parameters that carry a secret when a client puts one in a URL. */
const SECRET_PARAMS = 'key|token|overlaykey|access_token|id_token|secret|signature|password|api_key|apikey';
const SECRET_IN_URL = new RegExp(`([?&#;](?:${SECRET_PARAMS})=)[^&#;]*`, 'gi');

/** `/x?key=abc&page=2` -> `/x?key=[Redacted]&page=2`: the path and harmless parameters stay readable. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_IN_URL, '$1[Redacted]');
}

const SECRET_FIELDS = ['token', 'overlayKey', 'secret', 'password', 'adminToken', 'jwtSecret', 'webhookSecret'];

/**
 * Every place a secret may travel into a log line (docs/SECURITY.md lists the secrets): request headers, URLs and
 * parsed query strings as pino-http serialises them, and fields of whatever a feature logs, at the top level or one
 * object down (`{ body: { token } }`, `{ payment: { token } }`, `{ webhook: { secret } }`, `{ config: { jwtSecret } }`).
 */
const REDACT_PATHS = [
  'req.url',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-overlay-key"]',
  'req.headers["idempotency-key"]',
  'req.headers["giftwire-signature"]',
  'res.headers["set-cookie"]',
  ...SECRET_PARAMS.split('|').flatMap((p) => [`req.query.${p}`, `req.query.${p === 'overlaykey' ? 'overlayKey' : p}`]),
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  'headers.authorization',
  'headers["x-overlay-key"]',
  'url',
];

function censor(value: unknown, path: string[]): unknown {
  return path[path.length - 1] === 'url' && typeof value === 'string' ? redactUrl(value) : '[Redacted]';
}

/**
 * Structured JSON logs (pino); pretty only when a person is watching a terminal in development. `destination`
 * replaces stdout (tests read the log through it).
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.NODE_ENV !== 'production' && level !== 'silent';
  return pino(
    {
      name,
      level,
      base: { pid: process.pid, service: name },
      redact: { paths: [...new Set(REDACT_PATHS)], censor },
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } }
        : {}),
    },
    destination,
  );
}
