/**
 * Expected usage of a call before it is made: what budgets and `--dry-run` plan with until a
 * step's own calls have been seen. The prompt's size is known (the question is re-sent whole in
 * every call, so a long question weighs on every step); the reply and thinking are expectations.
 */
import type { CallStep, Usage } from '../../providers/types.js';
import type { TemplateName } from '../prompts/reference-files.js';
import type { Effort } from './catalogue.js';
import { callSettings, REPLY_TOKENS, type CallSettings } from './call-settings.js';
import type { ResolvedModel } from './pricing.js';

/**
 * Tokens in a text, roughly and on the high side, since caps are held with it: English prose
 * runs about four characters a token but code and JSON nearer three, so three is assumed; a
 * character outside ASCII (CJK, Arabic, emoji) is usually a token or more on its own.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3) + other;
}

/** Thinking a call is expected to do at each effort: assumptions, replaced by observed usage. */
export const EXPECTED_THINKING: Record<Effort, number> = { low: 1_000, medium: 2_500, high: 6_000, xhigh: 14_000, max: 28_000 };

/** Thinking expected when the effort is the model's own default and unknown to mythos. */
const EXPECTED_THINKING_UNKNOWN = EXPECTED_THINKING.high;

/** Characters a step's prompt carries beyond its template and the question (Prelude text, chain, findings, trajectory). */
export const PROMPT_EXTRA_CHARS: Record<CallStep, number> = {
  prelude: 0,
  're-prelude': 3_000,
  round: 3_000,
  judge: 3_000,
  subagent: 2_500,
  merge: 8_000,
  coda: 5_000,
  'cross-check': 6_000,
};

export interface PriorInput {
  step: CallStep;
  /** Tokens of the user prompt (the part never cached). */
  promptTokens: number;
  /** Tokens of the cache-marked system prefix. */
  systemTokens: number;
  /** Whether the prefix is long enough for the model to cache it. */
  cacheable: boolean;
  /** Whether a call has already written the prefix to the cache. */
  cacheWarm: boolean;
  settings: CallSettings;
  /** The model's default effort, for a call that sends none. */
  defaultEffort: Effort | null;
}

/** Pure: the usage a call of this shape is expected to bill. */
export function priorEstimate(input: PriorInput): Usage {
  const { settings } = input;
  const effort = settings.effort ?? input.defaultEffort;
  const thinking = settings.thinks ? (effort ? EXPECTED_THINKING[effort] : EXPECTED_THINKING_UNKNOWN) : 0;
  const output = Math.min(settings.maxTokens, Math.ceil(REPLY_TOKENS[input.step] / 2) + thinking);
  const cached = input.cacheable ? input.systemTokens : 0;
  return {
    input: input.promptTokens + (input.cacheable ? 0 : input.systemTokens),
    output,
    cacheRead: input.cacheWarm ? cached : 0,
    cacheWrite: input.cacheWarm ? 0 : cached,
    ...(thinking ? { thinking: Math.min(thinking, output) } : {}),
  };
}

/** The template each step's prompt is built from, for sizing a prompt before it exists. */
const STEP_TEMPLATE: Record<CallStep, TemplateName> = {
  prelude: 'Prelude',
  're-prelude': 'Re-Prelude',
  round: 'Round',
  judge: 'Judge',
  subagent: 'Subagent',
  merge: 'Merge',
  coda: 'Coda',
  'cross-check': 'Cross-check',
};

/** Priors for one run: its system prefix, its question, its model and effort. */
export class CallEstimator {
  readonly systemTokens: number;
  private readonly questionTokens: number;

  constructor(
    system: string,
    private readonly templates: Record<TemplateName, string>,
    question: string,
    private readonly model: ResolvedModel,
    private readonly effort: Effort | undefined,
  ) {
    this.systemTokens = estimateTokens(system);
    this.questionTokens = estimateTokens(question);
  }

  settingsFor(step: CallStep): CallSettings {
    return callSettings(this.model, step, this.effort);
  }

  /** `promptTokens` when the prompt is already built; else sized from its template and the question. */
  prior(step: CallStep, options: { promptTokens?: number; cacheWarm: boolean }): Usage {
    const template = this.templates[STEP_TEMPLATE[step]];
    const promptTokens = options.promptTokens ?? estimateTokens(template) + this.questionTokens + Math.ceil(PROMPT_EXTRA_CHARS[step] / 4);
    return priorEstimate({
      step, promptTokens, systemTokens: this.systemTokens,
      cacheable: this.systemTokens >= (this.model.entry?.minCacheTokens ?? Number.POSITIVE_INFINITY),
      cacheWarm: options.cacheWarm,
      settings: this.settingsFor(step), defaultEffort: this.model.entry?.effort.default ?? null,
    });
  }
}
