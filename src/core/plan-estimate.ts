/**
 * The dry-run plan: what a run would do after its Prelude, and what it would roughly cost.
 * The low end assumes the block converges soon after Challenge; the high end runs every step.
 * Each call is priced on its own (some models price a long prompt higher), thinking included.
 */
import type { RunContext } from './context.js';
import { callCost, roundCost } from './models/pricing.js';
import type { PreludeRecord } from './state.js';
import { addUsage, type CallStep } from '../providers/types.js';

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

export function estimatePlan(prelude: PreludeRecord, ctx: RunContext): PlanEstimate {
  const entry = ctx.model.entry;
  const measure = (steps: CallStep[]) => {
    const usages = steps.map((step) => ctx.budget.estimate(step));
    const total = usages.reduce(addUsage, ctx.usage);
    const cost = entry ? roundCost(ctx.costUsd + usages.reduce((sum, u) => sum + callCost(entry, u, ctx.at), 0)) : null;
    return { tokens: total.input + total.output + total.cacheRead + total.cacheWrite, thinking: total.thinking ?? 0, cost };
  };
  const low = stepsFor(prelude, false);
  const high = stepsFor(prelude, true);
  const [min, max] = [measure(low), measure(high)];
  return {
    mode: prelude.routing.mode,
    score: prelude.routing.score,
    lenses: prelude.plan.map((step) => step.lens),
    calls: { min: low.length + 1, max: high.length + 1 },
    tokens: { min: min.tokens, max: max.tokens },
    thinkingTokens: { min: min.thinking, max: max.thinking },
    costUsd: { min: min.cost, max: max.cost },
  };
}
