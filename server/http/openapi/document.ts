import { ERROR_CODES, type ErrorCode } from '../../../shared/contracts/errors';
import { idempotencyKey } from '../../../shared/contracts/common';
import { componentSchemas, jsonSchema, type JsonSchema } from './json-schema';
import type { RouteDoc } from './route-doc';
import { accountRoutes } from './routes-account';
import { opsRoutes } from './routes-ops';
import { moneySafetyRoutes } from './routes-money-safety';
import { publicRoutes } from './routes-public';
import { goalRoutes } from './routes-goals';

/** The one registry of REST routes that the API description shows (the test checks it against the router). */
export const ROUTES: readonly RouteDoc[] = [
  ...publicRoutes,
  ...accountRoutes,
  ...moneySafetyRoutes,
  ...opsRoutes,
  ...goalRoutes, // live experience (#17)
];

export const API_VERSION = '1.1.0';

const SECURITY: Record<RouteDoc['auth'], Array<Record<string, string[]>>> = {
  none: [],
  user: [{ userToken: [] }],
  operator: [{ operatorToken: [] }],
  overlay: [{ overlayKey: [] }],
};

/** `/v1/streams/:id` -> `/v1/streams/{id}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** The OpenAPI 3.1 document, built once per process from the route registry and the contract's schemas. */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Giftwire',
      version: API_VERSION,
      summary: 'Real-time live-stream gifting: coins, gifts, leaderboards, gift wars, settlement and payouts.',
      description:
        'REST under `/v1`, JSON in and out. Every amount is an integer; ids are UUIDs; times are milliseconds ' +
        'since the epoch. Errors are `{ error: { code, message, details? } }`; when several apply, the first in ' +
        'this order wins: validation, identity, permission and age, eligibility, existence, state, funds and ' +
        'limits, rate. The Socket.io events are described at `/v1/asyncapi.json`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A user token (HS256).' },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'The operator token, ADMIN_TOKEN.' },
        overlayKey: { type: 'apiKey', in: 'header', name: 'X-Overlay-Key', description: "A creator's overlay key." },
      },
    },
  };
}

function operation(route: RouteDoc): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const [name, schema] of Object.entries(route.params ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: jsonSchema(schema, 'input') });
  }
  if (route.query) {
    const q = jsonSchema(route.query, 'input');
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  if (route.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'Scoped per user, kept at least 24 hours; only a success binds it.',
      schema: jsonSchema(idempotencyKey, 'input'),
    });
  }
  const op: JsonSchema = {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: SECURITY[route.auth],
    ...(parameters.length ? { parameters } : {}),
    responses: responses(route),
  };
  if (route.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
    };
  }
  return op;
}

function responses(route: RouteDoc): JsonSchema {
  const { ok } = route;
  const out: JsonSchema = {
    [ok.status]: {
      description: ok.description,
      ...(ok.schema || ok.contentType
        ? {
            content: {
              [ok.contentType ?? 'application/json']: ok.schema ? { schema: jsonSchema(ok.schema, 'output') } : {},
            },
          }
        : {}),
    },
  };
  const codes: ErrorCode[] = [
    ...(route.params || route.query || route.body || route.idempotencyKey ? ['VALIDATION_FAILED' as const] : []),
    ...route.errors,
    'INTERNAL',
  ];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[status] = {
      description: list.join(', '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return out;
}

/** `post /v1/battles/:id/accept` -> `postBattlesIdAccept` */
function operationId(route: RouteDoc): string {
  const words = route.path
    .replace(/^\/v1\//, '/')
    .split(/[/:.-]+/)
    .filter(Boolean);
  return route.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
