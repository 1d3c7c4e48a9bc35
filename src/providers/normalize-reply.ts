/**
 * Limits a reply format states but the API does not enforce. Structured outputs guarantee the
 * JSON's shape, not an array's `maxItems` (the SDK moves such limits into the description), so a
 * model may name four drivers where three are allowed, or the same one twice. Failing the run for
 * that, or paying for a repair call, would be out of proportion: the reply still says what it
 * means. Here lists are cleared of blanks and repeats and clamped to their limit, and strings are
 * trimmed, before validation; each change is noted for the run log. Whatever still fails
 * afterwards (a required string left empty, say) has lost meaning and goes back for repair.
 */
import { z } from 'zod';
import { sameText } from '../core/format/same-text.js';

export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  maxItems?: number;
  anyOf?: SchemaNode[];
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
}

export interface Normalized {
  value: unknown;
  /** One line per change, e.g. `drivers: kept the first 3 of 4`. Empty when nothing changed. */
  notes: string[];
}

const jsonSchemas = new WeakMap<z.ZodType, SchemaNode>();

/** The schema's own JSON Schema, limits included; converted once per reply type. */
export function constraintsOf(schema: z.ZodType): SchemaNode {
  let node = jsonSchemas.get(schema);
  if (!node) jsonSchemas.set(schema, (node = z.toJSONSchema(schema, { reused: 'ref', unrepresentable: 'any' }) as SchemaNode));
  return node;
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  const name = node.$ref?.replace(/^#\/\$defs\//, '');
  return name !== undefined ? (root.$defs?.[name] ?? node) : node;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

/** For a nullable or union node, the variant that fits the value's JSON type. */
function variantFor(node: SchemaNode, value: unknown, root: SchemaNode): SchemaNode {
  if (!node.anyOf) return node;
  const type = typeOf(value);
  const fits = node.anyOf.map((v) => resolve(v, root)).find((v) => {
    const types = Array.isArray(v.type) ? v.type : [v.type];
    return types.includes(type) || (type === 'integer' && types.includes('number'));
  });
  return fits ?? node;
}

/**
 * Same entry twice, however it is spaced, cased, punctuated or Unicode-encoded: repeated drivers,
 * duplicated tensions. The first spelling is the one kept.
 */
function sameEntry(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return sameText(a, b);
  return a === b;
}

function walk(node: SchemaNode, value: unknown, path: string, root: SchemaNode, notes: string[]): unknown {
  const here = variantFor(resolve(node, root), value, root);
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) {
    const items = value.map((item, i) => (here.items ? walk(here.items, item, `${path}[${i}]`, root, notes) : item));
    const kept: unknown[] = [];
    let blanks = 0;
    const repeats: string[] = [];
    for (const item of items) {
      if (item === '') blanks++;
      else if (kept.some((k) => sameEntry(k, item))) repeats.push(String(item));
      else kept.push(item);
    }
    const label = path || '(root)';
    if (blanks) notes.push(`${label}: dropped ${blanks} empty ${blanks === 1 ? 'entry' : 'entries'}`);
    if (repeats.length) notes.push(`${label}: dropped ${repeats.length} repeated (${repeats.map((r) => JSON.stringify(r)).join(', ')})`);
    if (here.maxItems !== undefined && kept.length > here.maxItems) {
      notes.push(`${label}: kept the first ${here.maxItems} of ${kept.length}`);
      kept.length = here.maxItems;
    }
    return kept;
  }
  if (value !== null && typeof value === 'object' && here.properties) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, child] of Object.entries(here.properties)) {
      if (key in out) out[key] = walk(child, out[key], path ? `${path}.${key}` : key, root, notes);
    }
    return out;
  }
  return value;
}

/** Pure: the reply with unenforced limits applied, and what was changed. */
export function normalizeReply(schema: z.ZodType, data: unknown): Normalized {
  const root = constraintsOf(schema);
  const notes: string[] = [];
  const value = walk(root, data, '', root, notes);
  return { value, notes };
}
