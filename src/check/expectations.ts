/**
 * The calibration cases (calibration/cases.json) and the structural expectations they carry.
 * Only what a program can see in a transcript is expressed here: mode, lens counts, round and
 * subagent counts, named lenses, a non-empty tension. Reasoning quality stays a human's call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BundledFileError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { describeIssues } from '../core/zod-issues.js';
import { lensSequence, type ParsedTranscript } from './parse-transcript.js';
import { CheckModeSchema, type Check } from './report.js';
import { LENSES } from './vocabulary.js';

const note = z.string().min(1);
const count = z.number().int().nonnegative();
const LensSchema = z.enum(LENSES);
const between = <K extends string>(kind: K) => z.strictObject({ kind: z.literal(kind), min: count, max: count, note })
  .refine((e) => e.min <= e.max, { message: 'min must not exceed max' });

export const ExpectationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('mode-is'), value: CheckModeSchema, note }),
  z.strictObject({ kind: z.literal('max-lenses'), value: count, note }),
  between('lenses-between'),
  between('rounds-between'),
  z.strictObject({ kind: z.literal('min-subagents'), value: count, note }),
  z.strictObject({ kind: z.literal('includes-lens'), value: LensSchema, note }),
  z.strictObject({ kind: z.literal('lens-count-at-least'), lens: LensSchema, value: count, note }),
  z.strictObject({ kind: z.literal('last-lens-is'), value: LensSchema, note }),
  z.strictObject({ kind: z.literal('nonempty-tensions'), note }),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;
export type ExpectationKind = Expectation['kind'];

export const CalibrationCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'case ids are kebab-case'),
  question: z.string().min(1),
  mechanisms: z.string().min(1),
  /** What a user types before the question for each mode ('' = plain /mythos, routed by complexity). */
  invoke: z.strictObject({
    silent: z.enum(['', 'quick']),
    trace: z.literal('trace'),
    agent: z.enum(['deep', 'agent']),
  }),
  expect: z.strictObject({
    silent: z.array(ExpectationSchema),
    trace: z.array(ExpectationSchema),
    agent: z.array(ExpectationSchema),
  }),
});
export type CalibrationCase = z.infer<typeof CalibrationCaseSchema>;

export const CalibrationFileSchema = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  cases: z.array(CalibrationCaseSchema).min(1),
}).refine((f) => new Set(f.cases.map((c) => c.id)).size === f.cases.length, { message: 'case ids must be unique' });
export type CalibrationFile = z.infer<typeof CalibrationFileSchema>;

/** The shipped file, at the package root. */
export const DEFAULT_CASES_PATH = join(packageRoot(import.meta.url), 'calibration', 'cases.json');

/** The cases file is part of the install; a bad one is a broken install, so exit 1 and name it. */
export class CalibrationFileError extends BundledFileError {
  constructor(path: string, problem: string) {
    super('calibration file', path, problem);
  }
}

/** Validates already-read JSON; `path` only names the source in errors. */
export function parseCalibrationCases(json: unknown, path: string): CalibrationFile {
  const result = CalibrationFileSchema.safeParse(json);
  if (result.success) return result.data;
  throw new CalibrationFileError(path, describeIssues(result.error));
}

/** Reads and validates a cases file; throws CalibrationFileError naming the path on any problem. */
export function loadCalibrationCases(path: string = DEFAULT_CASES_PATH): CalibrationFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CalibrationFileError(path, `cannot read it (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CalibrationFileError(path, `not JSON (${(error as Error).message})`);
  }
  return parseCalibrationCases(json, path);
}

/** Words that fill a Tensions label without naming one. */
const NO_TENSION = /^[\s[(]*(?:none\b|n\/a\b|no (?:real |genuine )?tensions?\b|nothing\b|-+\s*$|—\s*$)/i;

function idFor(e: Expectation): string {
  const lens = e.kind === 'includes-lens' || e.kind === 'last-lens-is' ? e.value : e.kind === 'lens-count-at-least' ? e.lens : null;
  return lens ? `expect-${e.kind}-${lens.toLowerCase()}` : `expect-${e.kind}`;
}

function judge(t: ParsedTranscript, e: Expectation, lenses: readonly string[]): [boolean, string] {
  const mode = t.footer?.mode ?? 'none';
  switch (e.kind) {
    case 'mode-is':
      return [mode === e.value, `mode ${mode}`];
    case 'max-lenses':
      return [lenses.length <= e.value, `${lenses.length} lenses (at most ${e.value})`];
    case 'lenses-between':
      return [lenses.length >= e.min && lenses.length <= e.max, `${lenses.length} lenses (${e.min}..${e.max})`];
    case 'rounds-between':
      return [t.rounds.length >= e.min && t.rounds.length <= e.max, `${t.rounds.length} visible rounds (${e.min}..${e.max})`];
    case 'min-subagents':
      return [t.subagents.length >= e.value, `${t.subagents.length} subagents (at least ${e.value})`];
    case 'includes-lens':
      return [lenses.includes(e.value), `${e.value} ${lenses.includes(e.value) ? 'among' : 'not among'} ${lenses.join(', ') || '(no lenses)'}`];
    case 'lens-count-at-least': {
      const n = lenses.filter((l) => l === e.lens).length;
      return [n >= e.value, `${n} × ${e.lens} (at least ${e.value})`];
    }
    case 'last-lens-is': {
      const last = lenses.at(-1) ?? '(none)';
      return [last === e.value, `last lens ${last}`];
    }
    case 'nonempty-tensions': {
      const tensions = t.merge?.fields['tensions']?.trim() ?? '';
      const ok = tensions !== '' && !NO_TENSION.test(tensions);
      return [ok, t.merge ? `Tensions: ${tensions || '(empty)'}` : 'no Merge section'];
    }
  }
}

/**
 * Checks one mode's expectations against a parsed transcript. Lens counts use the lenses the
 * transcript's own mode applied (silent lens path, trace rounds or agent subagents).
 */
export function applyExpectations(t: ParsedTranscript, expectations: readonly Expectation[]): Check[] {
  const lenses = lensSequence(t);
  return expectations.map((e) => {
    const [pass, seen] = judge(t, e, lenses);
    return { id: idFor(e), pass, detail: `${seen}; expected: ${e.note}` };
  });
}
