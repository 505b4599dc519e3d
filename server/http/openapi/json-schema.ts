import { z } from 'zod';
import { components } from './models';

export type JsonSchema = Record<string, unknown>;
/** OpenAPI 3.1 speaks JSON Schema 2020-12; AsyncAPI 3's default schema format is a superset of draft-07. */
type Target = 'draft-2020-12' | 'draft-7';

const REF_PREFIX = '#/components/schemas/';

/**
 * zod -> JSON Schema 2020-12 (what OpenAPI 3.1 and AsyncAPI 3 use). Named models become `$ref`s to the documents'
 * `components.schemas`; requests are described as clients send them (`io: 'input'`: defaults are optional),
 * answers as the server sends them. Refinements that JSON Schema cannot say stay in the server's checks.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output', target: Target = 'draft-2020-12'): JsonSchema {
  const out = z.toJSONSchema(schema, { metadata: components, io, target, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  delete out.$defs;
  delete out.definitions;
  return rewriteRefs(out) as JsonSchema;
}

/** Every registered model, keyed by id, as the answers' side sees it. */
export function componentSchemas(target: Target = 'draft-2020-12'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(components, {
    io: 'output',
    target,
    unrepresentable: 'any',
    uri: (id) => REF_PREFIX + id,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as JsonSchema;
    out[id] = rest;
  }
  return out;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? v.replace(/^#\/(\$defs|definitions)\//, REF_PREFIX) : rewriteRefs(v),
      ]),
    );
  }
  return value;
}
