/**
 * Flags > MYTHOS_* environment > defaults, resolved once into one validated object.
 * Nothing here reads the environment at import time.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MissingCredentialsError, UsageError } from '../core/errors.js';
import { Mode } from '../core/schemas.js';

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

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
  home: z.string().min(1),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** All state lives under one folder: $MYTHOS_HOME, else the platform's data dir. */
export function mythosHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MYTHOS_HOME) return env.MYTHOS_HOME;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'mythos');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'mythos');
}

export function parseIntegerOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

export function parsePositiveNumber(name: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
}

export function parseMode(raw: string): Mode {
  const result = Mode.safeParse(raw.toLowerCase());
  if (!result.success) throw new UsageError(`--mode must be one of direct, silent, trace, agent; got "${raw}"`);
  return result.data;
}

/** Checked before any call: the SDK would otherwise fail later with a less helpful message. */
export function assertCredentials(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_AUTH_TOKEN) throw new MissingCredentialsError();
}

export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}
