/**
 * Reading a structured reply: JSON out of the text, limits the API does not enforce applied
 * (see normalize-reply.ts), then checked against the step's zod schema. Validation problems are
 * phrased for the model to fix in a repair attempt.
 */
import type { z } from 'zod';
import { describeIssues } from '../core/zod-issues.js';
import { normalizeReply } from './normalize-reply.js';

export type Parsed<T> = { ok: true; value: T; adjustments: string[] } | { ok: false; problem: string };

/** Models sometimes wrap JSON in a fence even when asked not to; accept that, nothing looser. */
function stripFence(text: string): string {
  const fenced = text.trim().match(/^```(?:json)?\s*\n([\s\S]*?)\n```$/);
  return fenced?.[1] ?? text.trim();
}

/** Already-decoded data (a scripted answer, a recorded value) through the same checks as a reply. */
export function validateReply<T>(data: unknown, schema: z.ZodType<T>): Parsed<T> {
  const { value, notes } = normalizeReply(schema, data);
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data, adjustments: notes } : { ok: false, problem: describeIssues(result.error) };
}

export function parseStructured<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let data: unknown;
  try {
    data = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  return validateReply(data, schema);
}
