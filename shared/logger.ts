import pino, { type Logger } from 'pino';

export type { Logger };

/** pino-pretty is a development dependency: a production install (`npm ci --omit=dev`) does not have it. */
function prettyInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** Structured JSON logs (pino); pretty only when a person is watching a terminal in development. */
export function createLogger(level: string, name: string): Logger {
  const pretty =
    process.stdout.isTTY && process.env.NODE_ENV !== 'production' && level !== 'silent' && prettyInstalled();
  return pino({
    name,
    level,
    base: { pid: process.pid, service: name },
    redact: ['req.headers.authorization', 'req.headers["idempotency-key"]', 'token', 'overlayKey'],
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } }
      : {}),
  });
}
