/**
 * Flags > MYTHOS_* environment > defaults, resolved once into one validated object.
 * Nothing here reads the environment at import time.
 */
import { z } from 'zod';
import { MissingCredentialsError, UsageError } from '../core/errors.js';
export { DEFAULT_MAX_QUESTION_CHARS, DEFAULT_MODEL, mythosHome, parseIntegerOption, parseMode, parsePositiveNumber, resolveModel } from './option-parsers.js';
import { Effort } from '../core/models/catalogue.js';
import { Mode } from '../core/schemas.js';

export const RunConfig = z.object({
  model: z.string().min(1),
  mode: Mode.optional(),
  maxRounds: z.number().int().min(1).max(8).optional(),
  concurrency: z.number().int().min(1).max(16),
  maxCostUsd: z.number().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive(),
  retries: z.number().int().min(0).max(10),
  output: z.enum(['text', 'json', 'stream-json']),
  quiet: z.boolean(),
  verbose: z.boolean(),
  color: z.boolean(),
  dryRun: z.boolean(),
  effort: Effort.optional(),
  maxQuestionChars: z.number().int().positive(),
  home: z.string().min(1),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** Checked before any call: the SDK would otherwise fail later with a less helpful message. */
export function assertCredentials(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_AUTH_TOKEN) throw new MissingCredentialsError();
}

/**
 * ANTHROPIC_BASE_URL, when set, must be an http(s) URL: the SDK would fail only at the first
 * call, with "Invalid URL". The value is not echoed, in case a key was pasted there by mistake.
 */
export function assertBaseUrl(env: NodeJS.ProcessEnv = process.env): void {
  const raw = env.ANTHROPIC_BASE_URL?.trim();
  if (!raw) return; // the SDK treats a blank value as unset
  let protocol: string | null;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = null;
  }
  if (protocol === 'http:' || protocol === 'https:') return;
  throw new UsageError('ANTHROPIC_BASE_URL is not an http:// or https:// URL', "set it to the API's address, for example https://api.anthropic.com, or unset it");
}

export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}
