/**
 * What is left of a plan after some steps ran: the budget a re-Prelude hands the block.
 */
import { RECURRENT_MAX_ROUNDS, type LensStep } from '../prelude/lens-plan.js';

/** Steps of a new plan that have not run yet, counting applications per lens. */
export function remainingSteps(plan: readonly LensStep[], ran: readonly LensStep[]): LensStep[] {
  const done = new Map<string, number>();
  for (const step of ran) done.set(step.lens, Math.max(done.get(step.lens) ?? 0, step.application));
  return plan.filter((step) => step.application > (done.get(step.lens) ?? 0));
}

/** No more rounds than the cap leaves after those that ran, even when a new plan brings new lenses. */
export function withinRoundCap(steps: readonly LensStep[], ran: number, maxRounds: number | undefined): LensStep[] {
  const cap = Math.min(maxRounds ?? RECURRENT_MAX_ROUNDS, RECURRENT_MAX_ROUNDS);
  return steps.slice(0, Math.max(0, cap - ran));
}
