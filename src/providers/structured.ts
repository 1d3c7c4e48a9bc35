/**
 * Reading a structured reply: JSON out of the text, checked against the step's zod schema.
 * Validation problems are phrased for the model to fix in a repair attempt.
 */
import type { z } from 'zod';
import { describeIssues } from '../core/zod-issues.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Models sometimes wrap JSON in a fence even when asked not to; accept that, nothing looser. */
function stripFence(text: string): string {
  const fenced = text.trim().match(/^```(?:json)?\s*\n([\s\S]*?)\n```$/);
  return fenced?.[1] ?? text.trim();
}

export function parseStructured<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  let data: unknown;
  try {
    data = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, problem: describeIssues(result.error) };
}
