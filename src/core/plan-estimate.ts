/**
 * The dry-run plan: what a run would do after its Prelude, and what it would roughly cost.
 * The low end assumes the block converges soon after Challenge; the high end runs every step.
 */
import { estimateCost } from './pricing.js';
import type { PreludeRecord } from './state.js';
import { addUsage, type CallStep, type Usage } from '../providers/types.js';

export interface PlanEstimate {
  mode: PreludeRecord['routing']['mode'];
  score: number;
  lenses: string[];
  calls: { min: number; max: number };
  costUsd: { min: number | null; max: number | null };
}

function stepsFor(prelude: PreludeRecord, full: boolean): CallStep[] {
  const { mode } = prelude.routing;
  const planned = prelude.plan.length;
  if (mode === 'direct') return ['coda'];
  if (mode === 'agent') return [...Array<CallStep>(planned).fill('subagent'), 'merge', 'coda', 'cross-check'];
  const challengeAt = prelude.plan.findIndex((step) => step.lens === 'Challenge') + 1;
  const rounds = full ? planned : Math.min(planned, Math.max(2, challengeAt));
  // Every round after the first is judged by a separate call; a non-author check follows the Coda.
  return [...Array<CallStep>(rounds).fill('round'), ...Array<CallStep>(Math.max(0, rounds - 1)).fill('judge'), 'coda', 'cross-check'];
}

export function estimatePlan(prelude: PreludeRecord, model: string, spent: Usage, estimateFor: (step: CallStep) => Usage): PlanEstimate {
  const cost = (steps: CallStep[]) => estimateCost(model, steps.map(estimateFor).reduce(addUsage, spent));
  const low = stepsFor(prelude, false);
  const high = stepsFor(prelude, true);
  return {
    mode: prelude.routing.mode,
    score: prelude.routing.score,
    lenses: prelude.plan.map((step) => step.lens),
    calls: { min: low.length + 1, max: high.length + 1 },
    costUsd: { min: cost(low), max: cost(high) },
  };
}
