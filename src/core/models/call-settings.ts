/**
 * What each call asks of the model: its effort level and its max_tokens. On the 5.x models
 * thinking is on unless a request turns it off, and thinking tokens count against max_tokens, so
 * the cap holds room for thinking at the chosen effort plus the reply itself. max_tokens is a
 * ceiling, not a charge: room that goes unused costs nothing. Pure; every rule is unit-tested.
 */
import type { CallStep } from '../../providers/types.js';
import { EFFORT_LEVELS, type Effort, type ModelEntry } from './catalogue.js';
import type { ResolvedModel } from './pricing.js';

/** Room for the structured reply itself, by step. */
export const REPLY_TOKENS: Record<CallStep, number> = {
  prelude: 2_000,
  're-prelude': 2_000,
  round: 1_200,
  judge: 600,
  subagent: 1_500,
  merge: 2_500,
  coda: 4_000,
  'cross-check': 800,
};

/**
 * Effort by step when the user sets none: the steps that do the reasoning think harder than the
 * steps that keep the books (diagnosis and judging), and the Coda, which writes the answer, most.
 */
export const STEP_EFFORT: Record<CallStep, Effort> = {
  prelude: 'medium',
  're-prelude': 'medium',
  judge: 'low',
  round: 'medium',
  subagent: 'medium',
  merge: 'medium',
  coda: 'high',
  'cross-check': 'low',
};

/** Steps that keep their lower default when `--effort` asks for more. */
const BOOKKEEPING: ReadonlySet<CallStep> = new Set(['prelude', 're-prelude', 'judge', 'cross-check']);

/**
 * Thinking room by effort. The docs give 64k as the starting point for xhigh and max; below that
 * they give no figure, so these leave generous headroom over what a structured reply needs.
 */
export const THINKING_ROOM: Record<Effort, number> = { low: 4_000, medium: 8_000, high: 16_000, xhigh: 64_000, max: 64_000 };

/**
 * A model the catalogue does not know: assume it may think a little, send no effort, and keep
 * max_tokens within what older models can write (8,192), with no regrowth past it.
 */
export const UNKNOWN_MODEL_THINKING_ROOM = 4_000;

export interface CallSettings {
  /** `output_config.effort`, or null to send none. */
  effort: Effort | null;
  maxTokens: number;
  /** The highest max_tokens a retry of a cut-off reply may ask for. */
  maxTokensCeiling: number;
  /** Whether the model thinks on this call (thinking on by default and not turned off). */
  thinks: boolean;
}

const rank = (level: Effort) => EFFORT_LEVELS.indexOf(level);

/** The nearest level the model offers at or below `wanted` (else its lowest). */
export function fitEffort(levels: readonly Effort[], wanted: Effort): Effort | null {
  if (levels.length === 0) return null;
  const below = levels.filter((level) => rank(level) <= rank(wanted)).sort((a, b) => rank(b) - rank(a));
  return below[0] ?? [...levels].sort((a, b) => rank(a) - rank(b))[0]!;
}

/** The effort a step asks for, given the user's choice (if any). */
export function wantedEffort(step: CallStep, chosen: Effort | undefined): Effort {
  if (!chosen) return STEP_EFFORT[step];
  if (!BOOKKEEPING.has(step)) return chosen;
  return rank(chosen) < rank(STEP_EFFORT[step]) ? chosen : STEP_EFFORT[step];
}

function knownSettings(entry: ModelEntry, step: CallStep, chosen: Effort | undefined): CallSettings {
  const reply = REPLY_TOKENS[step];
  if (entry.thinking.default === 'off') {
    return { effort: fitEffort(entry.effort.levels, wantedEffort(step, chosen)), maxTokens: Math.min(entry.maxOutput, reply), maxTokensCeiling: entry.maxOutput, thinks: false };
  }
  const effort = fitEffort(entry.effort.levels, wantedEffort(step, chosen));
  const room = THINKING_ROOM[effort ?? entry.effort.default ?? 'high'];
  return { effort, maxTokens: Math.min(entry.maxOutput, reply + room), maxTokensCeiling: entry.maxOutput, thinks: true };
}

export function callSettings(model: ResolvedModel, step: CallStep, chosen?: Effort): CallSettings {
  if (model.entry) return knownSettings(model.entry, step, chosen);
  const maxTokens = REPLY_TOKENS[step] + UNKNOWN_MODEL_THINKING_ROOM;
  return { effort: null, maxTokens, maxTokensCeiling: maxTokens, thinks: true };
}
