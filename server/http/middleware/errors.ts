import type { NextFunction, Request, Response } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { Logger } from '../../../shared/logger';

export function notFound(_req: Request, _res: Response, next: NextFunction) {
  next(new GiftwireError('NOT_FOUND', 'No such route.'));
}

/** Renders every error as the contract's `{ error: { code, message, details? } }`. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toGiftwireError(err);
    if (e.status >= 500) (req.log ?? log).error({ err }, 'request failed');
    res.status(e.status).json({ error: e.toBody() });
  };
}

function toGiftwireError(err: unknown): GiftwireError {
  if (err instanceof GiftwireError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser's errors: malformed JSON, oversized body, wrong charset
  if (e?.type === 'entity.parse.failed') return new GiftwireError('VALIDATION_FAILED', 'body: not valid JSON');
  if (e?.type === 'entity.too.large')
    return new GiftwireError('VALIDATION_FAILED', 'body: larger than the 16 KB limit');
  if (e?.status && e.status >= 400 && e.status < 500) return new GiftwireError('VALIDATION_FAILED', e.message);
  return new GiftwireError('INTERNAL');
}
