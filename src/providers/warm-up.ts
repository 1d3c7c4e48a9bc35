/**
 * One-time costs of a reply schema, paid ahead. zod compiles a fast path for each object schema
 * the first time it parses one, and a first parse of the Prelude's schema costs ~3 ms here: on
 * the critical path if it waits for the real reply, free if it happens while a call is in flight.
 */
import type { z } from 'zod';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  minimum?: number;
};

/**
 * A value shaped like the schema (every property present, one element per array), so a parse
 * walks, and compiles, every nested object. It need not pass validation.
 */
export function skeleton(schema: JsonSchema, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return skeleton(schema.anyOf[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, skeleton(value, depth + 1)]));
    case 'array':
      return schema.items ? [skeleton(schema.items, depth + 1)] : [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const warmed = new WeakSet<z.ZodType>();

/** Parses a skeleton of `jsonSchema` (the schema's own JSON Schema) once, so the real reply meets compiled parsers. */
export function warmParser(schema: z.ZodType, jsonSchema: JsonSchema): void {
  if (warmed.has(schema)) return;
  warmed.add(schema);
  schema.safeParse(skeleton(jsonSchema));
}
