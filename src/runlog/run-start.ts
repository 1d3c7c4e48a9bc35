/**
 * What a run log's run.start must hold before `resume` acts on it: a log that parses but says
 * nonsense (no question, a date that is not one, a negative cap) is refused before any call.
 */
import { z } from 'zod';
import { MalformedRunLogError } from '../core/errors.js';
import { EFFORT_LEVELS } from '../core/models/catalogue.js';
import { MODE_KEYWORDS } from '../core/prelude/keywords.js';
import { MODES } from '../core/schemas.js';
import type { LoggedEvent } from './run-log.js';

const orNull = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** Every option is optional (older versions and calibrate log fewer), but each one given must make sense. */
const StartOptions = z.looseObject({
  mode: orNull(z.enum(MODES)),
  keyword: orNull(z.enum(Object.keys(MODE_KEYWORDS) as [keyof typeof MODE_KEYWORDS, ...Array<keyof typeof MODE_KEYWORDS>])),
  maxRounds: orNull(z.number().int().min(1).max(8)),
  concurrency: orNull(z.number().int().positive()),
  maxCostUsd: orNull(z.number().positive().finite()),
  maxTokens: orNull(z.number().int().positive()),
  dryRun: z.boolean().optional(),
  timeoutMs: orNull(z.number().positive().finite()),
  retries: orNull(z.number().int().min(0)),
  effort: orNull(z.enum(EFFORT_LEVELS)),
});

const RunStart = z.object({
  type: z.literal('run.start'),
  runId: z.string().min(1),
  question: z.string().refine((q) => q.trim().length > 0, 'the question is empty'),
  model: z.string(),
  options: StartOptions,
});

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** The options a run started with, as checked: what a resume reads back. */
export type StartOptions = z.infer<typeof StartOptions>;

/**
 * Checks the first line's time and every attempt's run.start; throws MalformedRunLogError naming
 * the first problem. Returns the options of the latest attempt (none when no run.start is there).
 */
export function checkRunStarts(path: string, events: readonly LoggedEvent[]): StartOptions | null {
  const first = events[0];
  if (first && Number.isNaN(new Date(first.at).getTime())) throw new MalformedRunLogError(path, `line 1: "at" is not a time (${JSON.stringify(first.at).slice(0, 40)})`);
  let latest: StartOptions | null = null;
  for (const [i, { event }] of events.entries()) {
    if (event.type !== 'run.start') continue;
    const parsed = RunStart.safeParse(event);
    if (!parsed.success) throw new MalformedRunLogError(path, `line ${i + 1}: run.start ${parsed.error.issues.map(describe).join('; ')}`);
    latest = parsed.data.options;
  }
  return latest;
}
