/**
 * The dry-run plan: what a run would do after its Prelude, and what it would roughly cost.
 * The low end assumes the block converges soon after Challenge; the high end runs every step.
 * Each call is priced on its own (some models price a long prompt higher), thinking included.
 *
 * The priors the caps hold with are deliberately high (three characters a token; half of each
 * step's reply room as its reply). A plan is an expectation, so it is scaled by what the Prelude
 * actually billed: how many tokens this question's prompts really take (a long question sized
 * high could cross a long-prompt price threshold it never reaches), and how long this model's
 * replies run (for a model that does not think, the reply is nearly all of the output).
 * Under --max-cost or --max-tokens the estimate is held at the caps, and the plan says the caps
 * will stop the run early.
 */
import type { RunContext, RunLimits } from './context.js';
import { REPLY_TOKENS } from './models/call-settings.js';
import { callCost, roundCost, type ResolvedModel } from './models/pricing.js';
import { CallEstimator, estimateTokens } from './models/usage-estimate.js';
import { AGENT_HARD_MAX_SUBAGENTS, RECURRENT_MAX_ROUNDS } from './prelude/lens-plan.js';
import { PromptBuilder } from './prompts/build-prompts.js';
import type { ReferenceBundle } from './prompts/reference-files.js';
import type { PreludeRecord } from './state.js';
import { addUsage, ZERO_USAGE, type CallStep, type Usage } from '../providers/types.js';

export interface PlanEstimate {
  mode: PreludeRecord['routing']['mode'];
  score: number;
  lenses: string[];
  calls: { min: number; max: number };
  /** Expected tokens across the run, the Prelude's included. */
  tokens: { min: number; max: number };
  /** Of those, expected thinking tokens. */
  thinkingTokens: { min: number; max: number };
  costUsd: { min: number | null; max: number | null };
  /** The caps that would stop the run before its full plan (the estimate is held at them), or null. */
  cappedBy: { maxCostUsd: number | null; maxTokens: number | null } | null;
}

function stepsFor(prelude: PreludeRecord, full: boolean): CallStep[] {
  const { mode } = prelude.routing;
  const planned = prelude.plan.length;
  if (mode === 'direct') return ['coda'];
  if (mode === 'agent') return [...Array<CallStep>(planned).fill('subagent'), 'merge', 'coda', 'cross-check'];
  const challengeAt = prelude.plan.findIndex((step) => step.lens === 'Challenge') + 1;
  const rounds = full ? planned : Math.min(planned, Math.max(2, challengeAt));
  // Every round is judged by a separate call; a non-author check follows the Coda.
  return [...Array<CallStep>(rounds).fill('round'), ...Array<CallStep>(rounds).fill('judge'), 'coda', 'cross-check'];
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const promptTokensOf = (u: Usage) => u.input + u.cacheRead + u.cacheWrite;

/** How far the Prelude's real prompt and reply were from their priors: the scale for the rest. */
function scales(ctx: RunContext): { prompt: number; reply: number } {
  const call = ctx.record.calls.find((c) => c.step === 'prelude' && c.failed === undefined);
  if (!call) return { prompt: 1, reply: 1 };
  const prior = ctx.estimator.prior('prelude', { cacheWarm: false });
  const prompt = promptTokensOf(prior) > 0 ? promptTokensOf(call.usage) / promptTokensOf(prior) : 1;
  const replied = call.usage.output - (call.usage.thinking ?? 0);
  return { prompt: clamp(prompt, 0.25, 1), reply: clamp(replied / Math.ceil(REPLY_TOKENS.prelude / 2), 0.25, 1) };
}

/** A step's expected usage: what was seen of it, else its prior scaled by what the Prelude showed. */
function expected(ctx: RunContext, step: CallStep, scale: { prompt: number; reply: number }): Usage {
  if (ctx.record.calls.some((c) => c.step === step)) return ctx.budget.estimate(step);
  const prior = ctx.budget.estimate(step);
  const thinking = prior.thinking ?? 0;
  const p = (n: number) => Math.ceil(n * scale.prompt);
  return {
    input: p(prior.input), cacheRead: p(prior.cacheRead), cacheWrite: p(prior.cacheWrite),
    output: thinking + Math.ceil((prior.output - thinking) * scale.reply),
    ...(thinking ? { thinking } : {}),
  };
}

export function estimatePlan(prelude: PreludeRecord, ctx: RunContext): PlanEstimate {
  const entry = ctx.model.entry;
  const scale = scales(ctx);
  const { maxCostUsd, maxTokens } = ctx.budget.limits;
  const measure = (steps: CallStep[]) => {
    const usages = steps.map((step) => expected(ctx, step, scale));
    const total = usages.reduce(addUsage, ctx.usage);
    const cost = entry ? roundCost(ctx.costUsd + usages.reduce((sum, u) => sum + callCost(entry, u, ctx.at), 0)) : null;
    return { tokens: total.input + total.output + total.cacheRead + total.cacheWrite, thinking: total.thinking ?? 0, cost };
  };
  const low = stepsFor(prelude, false);
  const high = stepsFor(prelude, true);
  const [min, max] = [measure(low), measure(high)];
  const overCost = maxCostUsd !== undefined && max.cost !== null && max.cost > maxCostUsd;
  const overTokens = maxTokens !== undefined && max.tokens > maxTokens;
  const held = (value: number | null, cap: number | undefined) => (value === null || cap === undefined ? value : Math.min(value, cap));
  return {
    mode: prelude.routing.mode,
    score: prelude.routing.score,
    lenses: prelude.plan.map((step) => step.lens),
    calls: { min: low.length + 1, max: high.length + 1 },
    tokens: { min: held(min.tokens, maxTokens)!, max: held(max.tokens, maxTokens)! },
    thinkingTokens: { min: min.thinking, max: max.thinking },
    costUsd: { min: held(min.cost, maxCostUsd), max: held(max.cost, maxCostUsd) },
    cappedBy: overCost || overTokens ? { maxCostUsd: overCost ? maxCostUsd! : null, maxTokens: overTokens ? maxTokens! : null } : null,
  };
}

/** A range with no Prelude behind it: no mode, score or lenses yet. */
export type UnplannedEstimate = Pick<PlanEstimate, 'calls' | 'tokens' | 'thinkingTokens' | 'costUsd'>;

/**
 * What a dry run can say without paying for a Prelude (the question is over the size limit, or
 * the caps cannot cover one): from the Prelude and a direct answer up to the deepest run any mode
 * allows under --max-rounds, since no diagnosis has picked a mode yet.
 */
export function estimateWithoutPrelude(refs: ReferenceBundle, question: string, limits: RunLimits, model: ResolvedModel, at: Date): UnplannedEstimate {
  const prompts = new PromptBuilder(refs);
  const estimator = new CallEstimator(prompts.system(), refs.templates, question, model, limits.effort);
  const prelude = estimator.prior('prelude', { promptTokens: estimateTokens(prompts.fill('Prelude', { question })), cacheWarm: false });
  const measure = (steps: CallStep[]) => {
    const usages = [prelude, ...steps.map((step): Usage => estimator.prior(step, { cacheWarm: false }))];
    const total = usages.reduce(addUsage, ZERO_USAGE);
    const cost = model.entry ? roundCost(usages.reduce((sum, u) => sum + callCost(model.entry!, u, at), 0)) : null;
    return { calls: usages.length, tokens: total.input + total.output + total.cacheRead + total.cacheWrite, thinking: total.thinking ?? 0, cost };
  };
  const rounds = Math.min(limits.maxRounds ?? RECURRENT_MAX_ROUNDS, RECURRENT_MAX_ROUNDS);
  const subagents = Math.min(limits.maxRounds ?? AGENT_HARD_MAX_SUBAGENTS, AGENT_HARD_MAX_SUBAGENTS);
  const closing: CallStep[] = ['coda', 'cross-check'];
  const deepest = [
    measure([...Array<CallStep>(rounds).fill('round'), ...Array<CallStep>(rounds).fill('judge'), ...closing]),
    // A merge needs two subagents: with fewer, agent mode runs one sequential round instead.
    ...(subagents >= 2 ? [measure([...Array<CallStep>(subagents).fill('subagent'), 'merge', ...closing])] : []),
  ];
  const min = measure(['coda']);
  const max = deepest.reduce((a, b) => ((b.cost ?? b.tokens) > (a.cost ?? a.tokens) ? b : a));
  return {
    calls: { min: min.calls, max: max.calls },
    tokens: { min: min.tokens, max: max.tokens },
    thinkingTokens: { min: min.thinking, max: max.thinking },
    costUsd: { min: min.cost, max: max.cost },
  };
}
