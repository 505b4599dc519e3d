import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { GiftwireError } from '../../../shared/contracts/errors';

/** Far deeper than any body of the API (3 levels), far shallower than what would strain a parser or a validator. */
export const MAX_JSON_DEPTH = 16;

const RAW = Symbol('rawJson');
type WithRaw = Request & { [RAW]?: string };

/**
 * Checks what JSON.parse lets through but the API refuses, on the raw text of a body that is valid JSON:
 * - a key twice in one object (`{"packageId":"a","packageId":"b"}`; parsers disagree on which value wins),
 *   compared after unescaping, so `"co\u0069ns"` is `"coins"`;
 * - a number with a fraction or an exponent (`1e3`, `100.0`): every number of the API is an integer and must be
 *   written as one, so a body has a single reading in every language (docs/SECURITY.md, "Numbers");
 * - nesting deeper than MAX_JSON_DEPTH.
 * Returns the first problem and the field it is in (`payment.token`, `items.2`; `body` at the top), or null.
 */
export function jsonBodyProblem(text: string): { field: string; message: string } | null {
  // One frame per open object ({ keys, key }) or array ({ index }): the path of the value being read.
  const frames: Array<{ keys: Set<string>; key: string | null } | { index: number }> = [];
  let expectKey = false;
  const at = () =>
    frames
      .map((f) => ('keys' in f ? (f.key ?? '') : String(f.index)))
      .filter((p) => p !== '')
      .join('.') || 'body';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = frames[frames.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey && top && 'keys' in top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.key = key;
        if (top.keys.has(key)) return { field: at(), message: `duplicate key "${key}"` };
        top.keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      frames.push(c === '{' ? { keys: new Set(), key: null } : { index: 0 });
      if (frames.length > MAX_JSON_DEPTH)
        return { field: at(), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      if (top && 'index' in top) top.index += 1;
      expectKey = top !== undefined && 'keys' in top;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const written = text.slice(i, j);
      if (/[.eE]/.test(written)) return { field: at(), message: `${written} is not written as an integer` };
      i = j - 1;
    }
  }
  return null;
}

/**
 * REST bodies: express.json (16 KB, objects and arrays only) keeps the raw text, then jsonBodyProblem decides.
 * Socket.io payloads never pass here: the transport has parsed them already (see docs/SECURITY.md).
 */
export function jsonBody(): RequestHandler[] {
  const parse = express.json({
    limit: '16kb',
    strict: true,
    verify: (req, _res, buf) => {
      (req as WithRaw)[RAW] = buf.toString('utf8');
    },
  });
  const check = (req: Request, _res: Response, next: NextFunction) => {
    const raw = (req as WithRaw)[RAW];
    const problem = raw === undefined ? null : jsonBodyProblem(raw);
    if (!problem) return next();
    // the same shape as a schema's refusal (shared/contracts/validate.ts): the field first, every issue in details
    next(new GiftwireError('VALIDATION_FAILED', `${problem.field}: ${problem.message}`, { issues: [problem] }));
  };
  return [parse, check];
}
