import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as schemas from '../../src/core/schemas.js';
import { schemaProblem } from './schema-rules.js';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false, ...extra });

describe('the fake API’s structured-output rules', () => {
  it('refuses what the real API refuses', () => {
    expect(schemaProblem({ type: 'object', properties: { a: { type: 'string' } } })).toMatch(/additionalProperties/);
    expect(schemaProblem(object({ a: { type: 'integer', minimum: 1 } }))).toMatch(/'minimum' is not supported/);
    expect(schemaProblem(object({ a: { type: 'array', items: { type: 'string' }, minItems: 2 } }))).toMatch(/minItems/);
    expect(schemaProblem(object({ a: { type: 'string', format: 'phone' } }))).toMatch(/format 'phone'/);
    expect(schemaProblem(object({ a: { enum: [{ x: 1 }] } }))).toMatch(/enum values/);
    expect(schemaProblem(object({ a: { $ref: 'https://example.com/s.json' } }))).toMatch(/must point inside/);
    const tree = object({ children: { type: 'array', items: { $ref: '#/$defs/node' } } }, { $defs: { node: object({ kids: { type: 'array', items: { $ref: '#/$defs/node' } } }) } });
    expect(schemaProblem(tree)).toMatch(/recursive/);
  });

  it('reads property names as names, not keywords', () => {
    expect(schemaProblem(object({ minimum: { type: 'string' }, not: { type: 'boolean' }, format: { type: 'string', format: 'date' } }))).toBeNull();
  });

  it('takes every reply schema mythos sends, and none carries noise into a description', () => {
    const replies = Object.entries(schemas).filter(([name]) => name.endsWith('Reply'));
    expect(replies.length).toBeGreaterThanOrEqual(8);
    for (const [name, schema] of replies) {
      const sent = zodOutputFormat(schema as z.ZodType).schema;
      expect(schemaProblem(sent), name).toBeNull();
      expect(JSON.stringify(sent), name).not.toMatch(/9007199254740991/);
    }
  });
});
