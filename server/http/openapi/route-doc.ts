import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/contracts/errors';

/** Who may call a route: the `security` of its operation. */
export type RouteAuth = 'none' | 'user' | 'operator' | 'overlay';

/**
 * One REST route as the API description shows it. Request parts point at the very zod schemas the route parses
 * with; `ok` is its success answer. Paths are written as Express writes them (`/v1/streams/:id`), so the test
 * can match them against the router.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** Path parameters by name. */
  params?: Record<string, z.ZodType>;
  /** The query object the route parses `req.query` with. */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The `Idempotency-Key` header is required. */
  idempotencyKey?: boolean;
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** The contract codes this route can answer with, besides VALIDATION_FAILED and INTERNAL. */
  errors: ErrorCode[];
}
