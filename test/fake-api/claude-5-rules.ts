// What the real Messages API does with each Claude 5.x model, as the platform docs describe it
// (read 2026-12-05; docs/model-facts.md lists the pages). Written apart from mythos's own
// catalogue on purpose: the fake holds the API's side, the catalogue mythos's side, and the
// tests fail when the two disagree.

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';
export type ThinkingType = 'adaptive' | 'enabled' | 'disabled' | 'between_tools';

interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheRead: number;
}

export interface ModelRules {
  maxOutput: number;
  /** Thinking when the request sends no `thinking` field. */
  thinksByDefault: boolean;
  accepts: ThinkingType[];
  /** `disabled` is accepted only at or below this effort (Opus 5, Haiku 5.5). */
  disabledUpTo?: Effort;
  /** Levels `output_config.effort` takes; empty: the parameter is a 400. */
  effortLevels: Effort[];
  defaultEffort: Effort | null;
  /** `tool_choice` any/tool is a 400. */
  rejectsForcedTool: boolean;
  minCacheTokens: number;
  /** List prices on 2026-12-05, USD per million tokens. */
  rates: Rates;
  /** Haiku 5.5: every token of a request whose prompt is over `above` tokens bills at these. */
  longPrompt?: Rates & { above: number };
}

const ALL: Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

const fable = (rates: Rates, forced: boolean): ModelRules => ({
  maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive'], effortLevels: ALL, defaultEffort: 'high',
  rejectsForcedTool: forced, minCacheTokens: 512, rates,
});

export const CLAUDE_5_RULES: Record<string, ModelRules> = {
  'claude-fable-5-2': fable({ input: 8, output: 40, cacheWrite5m: 10, cacheRead: 0.2 }, true),
  'claude-mythos-5-2': fable({ input: 8, output: 40, cacheWrite5m: 10, cacheRead: 0.2 }, true),
  'claude-fable-5-1': fable({ input: 10, output: 50, cacheWrite5m: 12.5, cacheRead: 0.25 }, true),
  'claude-fable-5': fable({ input: 10, output: 50, cacheWrite5m: 12.5, cacheRead: 1 }, false),
  'claude-opus-5-5': {
    maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive'], effortLevels: ALL, defaultEffort: 'medium',
    rejectsForcedTool: true, minCacheTokens: 512, rates: { input: 4, output: 20, cacheWrite5m: 5, cacheRead: 0.2 },
  },
  'claude-opus-5': {
    maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive', 'disabled'], disabledUpTo: 'high', effortLevels: ALL,
    defaultEffort: 'high', rejectsForcedTool: false, minCacheTokens: 512, rates: { input: 5, output: 25, cacheWrite5m: 6.25, cacheRead: 0.5 },
  },
  'claude-sonnet-5-5': {
    maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive', 'between_tools'], effortLevels: ALL, defaultEffort: 'high',
    rejectsForcedTool: true, minCacheTokens: 512, rates: { input: 2, output: 10, cacheWrite5m: 2.5, cacheRead: 0.1 },
  },
  'claude-sonnet-5': {
    maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive', 'disabled'], effortLevels: ALL, defaultEffort: 'high',
    rejectsForcedTool: false, minCacheTokens: 1_024, rates: { input: 2, output: 10, cacheWrite5m: 2.5, cacheRead: 0.2 },
  },
  'claude-haiku-5-5': {
    maxOutput: 128_000, thinksByDefault: true, accepts: ['adaptive', 'disabled'], disabledUpTo: 'high', effortLevels: ALL,
    defaultEffort: 'medium', rejectsForcedTool: false, minCacheTokens: 512,
    rates: { input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheRead: 0.01 },
    longPrompt: { above: 100_000, input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheRead: 0.05 },
  },
  'claude-haiku-4-5': {
    maxOutput: 64_000, thinksByDefault: false, accepts: ['enabled', 'disabled'], effortLevels: [], defaultEffort: null,
    rejectsForcedTool: false, minCacheTokens: 4_096, rates: { input: 1, output: 5, cacheWrite5m: 1.25, cacheRead: 0.1 },
  },
};

/** Thinking a call does at each effort in the emulation (before a little per-prompt spread). */
export const THINKING_BY_EFFORT: Record<Effort, number> = { low: 600, medium: 1_800, high: 4_500, xhigh: 10_000, max: 20_000 };

/** List-price cost of one reply's usage, as the API would bill it. */
export function billedCost(model: string, usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number }): number {
  const rules = CLAUDE_5_RULES[model];
  if (!rules) throw new Error(`no rules for ${model}`);
  const prompt = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
  const r = rules.longPrompt && prompt > rules.longPrompt.above ? rules.longPrompt : rules.rates;
  return (usage.input_tokens * r.input + usage.output_tokens * r.output + usage.cache_read_input_tokens * r.cacheRead
    + usage.cache_creation_input_tokens * r.cacheWrite5m) / 1e6;
}
