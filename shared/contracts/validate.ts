import type { z } from 'zod';
import { GiftwireError } from './errors';

/** Parses with zod; a mismatch becomes VALIDATION_FAILED naming the first offending field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : what,
    message: i.message,
  }));
  const first = issues[0]!;
  throw new GiftwireError('VALIDATION_FAILED', `${first.field}: ${first.message}`, { issues });
}
