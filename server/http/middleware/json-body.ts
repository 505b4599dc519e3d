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
 * Returns the first problem, or null.
 */
export function jsonBodyProblem(text: string): string | null {
  const objects: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = objects[objects.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return `duplicate key "${key}"`;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      objects.push(c === '{' ? new Set() : null);
      if (objects.length > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      expectKey = objects[objects.length - 1] instanceof Set;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      if (/[.eE]/.test(text.slice(i, j))) return `number ${text.slice(i, j)} is not written as a plain integer`;
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
    next(problem ? new GiftwireError('VALIDATION_FAILED', `body: ${problem}`) : undefined);
  };
  return [parse, check];
}
