// What the real API's structured outputs refuse in `output_config.format.schema`, so a schema
// mythos would send and the real API would reject fails here too. Sources and dates are in
// docs/model-facts.md ("Structured replies").

const UNSUPPORTED_KEYS = ['maxItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems', 'not', 'if', 'then', 'else', 'patternProperties'];
const STRING_FORMATS = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid'];

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => !!value && typeof value === 'object' && !Array.isArray(value);

/** The first thing in the schema the API would answer with a 400, or null. */
export function schemaProblem(schema: unknown): string | null {
  if (!isNode(schema)) return null;
  const defs = { ...(isNode(schema.$defs) ? schema.$defs : {}), ...(isNode(schema.definitions) ? schema.definitions : {}) };
  return walk(schema, defs, []);
}

function walk(node: unknown, defs: Node, refsOpen: string[]): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const problem = walk(item, defs, refsOpen);
      if (problem) return problem;
    }
    return null;
  }
  if (!isNode(node)) return null;
  const own = nodeProblem(node);
  if (own) return own;
  if (typeof node.$ref === 'string') {
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref)?.[1];
    if (!name || !(name in defs)) return `output_config.format.schema: '$ref' ${node.$ref} must point inside the schema`;
    if (refsOpen.includes(name)) return 'output_config.format.schema: recursive schemas are not supported';
    const inner = walk(defs[name], defs, [...refsOpen, name]);
    if (inner) return inner;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$defs' || key === 'definitions' || key === 'enum' || key === 'const' || key === '$ref') continue;
    // `properties` maps names to schemas: a property may well be called "minimum".
    const inner = walk(key === 'properties' && isNode(value) ? Object.values(value) : value, defs, refsOpen);
    if (inner) return inner;
  }
  return null;
}

function nodeProblem(node: Node): string | null {
  for (const key of UNSUPPORTED_KEYS) {
    if (key in node) return `output_config.format.schema: property '${key}' is not supported`;
  }
  if (typeof node.minItems === 'number' && node.minItems > 1) return "output_config.format.schema: 'minItems' above 1 is not supported";
  if (typeof node.format === 'string' && !STRING_FORMATS.includes(node.format)) return `output_config.format.schema: string format '${node.format}' is not supported`;
  if (Array.isArray(node.enum) && node.enum.some((value) => value !== null && typeof value === 'object')) return 'output_config.format.schema: enum values must be strings, numbers, booleans or null';
  if (node.type === 'object' && node.additionalProperties !== false) return "output_config.format.schema: objects must set 'additionalProperties' to false";
  return null;
}
