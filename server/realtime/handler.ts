import type { z } from 'zod';
import { GiftwireError } from '../../shared/contracts/errors';
import { parse } from '../../shared/contracts/validate';
import type { Logger } from '../../shared/logger';

type AckFn = (res: unknown) => void;

/**
 * Wraps a Socket.io event handler: validates the payload with zod, runs the handler, and always answers the
 * acknowledgement with `{ ok: true, ... }` or `{ ok: false, error: { code, message } }`.
 */
export function handler<S extends z.ZodType, R extends object>(
  log: Logger,
  schema: S,
  fn: (payload: z.infer<S>) => Promise<R>,
) {
  return async (payload: unknown, ack?: unknown) => {
    const reply: AckFn = typeof ack === 'function' ? (ack as AckFn) : () => undefined;
    try {
      const result = await fn(parse(schema, payload ?? {}, 'payload'));
      reply({ ok: true, ...result });
    } catch (err) {
      if (err instanceof GiftwireError) {
        reply({ ok: false, error: { code: err.code, message: err.message } });
      } else {
        log.error({ err }, 'socket handler failed');
        reply({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
      }
    }
  };
}
