/**
 * Flag parsers and defaults the command line needs before any command runs. Free of zod and
 * the SDK, so `--help` and argument errors stay fast.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { EFFORT_LEVELS, MODES } from '../core/vocabulary.js';

export type Mode = (typeof MODES)[number];

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** All state lives under one folder: $MYTHOS_HOME, else the platform's data dir. A blank value counts as unset. */
export function mythosHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MYTHOS_HOME?.trim()) return env.MYTHOS_HOME;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'mythos');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'mythos');
}

/**
 * --model, else $MYTHOS_MODEL, else the default. A blank MYTHOS_MODEL counts as unset (as in
 * `MYTHOS_MODEL= mythos …`); a blank --model is a mistake worth saying.
 */
export function resolveModel(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined) {
    if (!flag.trim()) throw new UsageError('--model needs a model id', `for example --model ${DEFAULT_MODEL}`);
    return flag.trim();
  }
  return env.MYTHOS_MODEL?.trim() || DEFAULT_MODEL;
}

/** Digits only: Number() would also take "0x10", "1e3", " 5" and "" (as 0). */
const WHOLE = /^\d+$/;
/** Plain decimals: 5, 0.5, .5 and 5. too; no sign, exponent or 0x. */
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

export function parseIntegerOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    const digits = WHOLE.test(raw.trim());
    const value = digits ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      const hint = digits ? `for example ${name} ${value < min ? min : max}` : 'write it in plain digits: no sign, point, exponent or 0x';
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`, hint);
    }
    return value;
  };
}

export function parsePositiveNumber(name: string) {
  return (raw: string): number => {
    const value = DECIMAL.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError(`${name} must be a positive number, got "${raw}"`, `write it as a plain decimal number of US dollars, for example ${name} 0.50`);
    }
    return value;
  };
}

export function parseMode(raw: string): Mode {
  const mode = MODES.find((name) => name === raw.toLowerCase());
  if (!mode) throw new UsageError(`--mode must be one of ${MODES.join(', ')}; got "${raw}"`, 'for example --mode trace; or put trace, deep or quick before the question');
  return mode;
}

export function parseEffort(raw: string): (typeof EFFORT_LEVELS)[number] {
  const level = EFFORT_LEVELS.find((name) => name === raw.toLowerCase());
  if (!level) throw new UsageError(`--effort must be one of ${EFFORT_LEVELS.join(', ')}; got "${raw}"`, 'for example --effort medium');
  return level;
}

/** Characters a question may have unless --max-question or MYTHOS_MAX_QUESTION raises it: about 25,000 tokens. */
export const DEFAULT_MAX_QUESTION_CHARS = 100_000;

/** Read only by commands that take a question: a bad value must not break `mythos runs`. */
export function maxQuestionFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.MYTHOS_MAX_QUESTION?.trim();
  if (!raw) return DEFAULT_MAX_QUESTION_CHARS;
  const value = WHOLE.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`MYTHOS_MAX_QUESTION must be a whole number of characters, got "${raw}"`, `set it in plain digits (the default is ${DEFAULT_MAX_QUESTION_CHARS}), or unset it`);
  }
  return value;
}
