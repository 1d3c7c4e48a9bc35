/**
 * Spending caps (--max-cost, --max-tokens). Before a round or a dispatch, the run asks whether
 * the next calls plus a reserve for the Coda still fit; estimates come from the calls already
 * made for that step, or a rough prior before there are any.
 */
import { UsageError } from './errors.js';
import { estimateCost, priceFor } from './pricing.js';
import type { CallRecord } from './state.js';
import { addUsage, type CallStep, type Usage } from '../providers/types.js';

/** Kept back from every earlier step: the Coda always runs, and its cross-check should. */
export const CODA_RESERVE: readonly CallStep[] = ['coda', 'cross-check'];

export interface BudgetLimits {
  maxCostUsd?: number | undefined;
  maxTokens?: number | undefined;
}

/** Tokens a call bills, whatever the cache did with them. */
export function billedTokens(usage: Usage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/** A rough size for a call never seen yet: the prompt's characters / 4 in, half the output cap out. */
export function priorEstimate(step: CallStep, promptChars: number, maxTokens: number): Usage {
  return { input: Math.ceil(promptChars / 4), output: Math.ceil(maxTokens / 2), cacheRead: 0, cacheWrite: 0 };
}

/** The mean usage of earlier calls of a step, or null when there were none. */
export function observedEstimate(step: CallStep, calls: readonly CallRecord[]): Usage | null {
  const same = calls.filter((c) => c.step === step);
  if (same.length === 0) return null;
  const mean = (pick: (u: Usage) => number) => Math.ceil(same.reduce((sum, c) => sum + pick(c.usage), 0) / same.length);
  return { input: mean((u) => u.input), output: mean((u) => u.output), cacheRead: mean((u) => u.cacheRead), cacheWrite: mean((u) => u.cacheWrite) };
}

/** A cost cap needs a price: for a model without one it could never trigger, so it is refused up front. */
export function assertEnforceable(limits: BudgetLimits, model: string): void {
  if (limits.maxCostUsd !== undefined && priceFor(model) === null) {
    throw new UsageError(`--max-cost cannot be enforced for ${model}: its price is not known`, 'cap the run with --max-tokens, which needs no price');
  }
}

/** Pure: would spending `next` on top of `spent` pass either cap? */
export function wouldExceed(limits: BudgetLimits, model: string, spent: Usage, next: readonly Usage[]): boolean {
  const total = next.reduce(addUsage, spent);
  if (limits.maxTokens !== undefined && billedTokens(total) > limits.maxTokens) return true;
  if (limits.maxCostUsd !== undefined) {
    const cost = estimateCost(model, total);
    if (cost !== null && cost > limits.maxCostUsd) return true;
  }
  return false;
}

export class Budget {
  constructor(
    readonly limits: BudgetLimits,
    private readonly model: string,
    private readonly estimateFor: (step: CallStep) => Usage,
  ) {}

  estimate(step: CallStep): Usage {
    return this.estimateFor(step);
  }

  get active(): boolean {
    return this.limits.maxCostUsd !== undefined || this.limits.maxTokens !== undefined;
  }

  /** Whether these calls, plus what must still run after them (the Coda and its cross-check), fit under the caps. */
  fits(spent: Usage, steps: readonly CallStep[], reserve: readonly CallStep[] = CODA_RESERVE): boolean {
    if (!this.active) return true;
    return !wouldExceed(this.limits, this.model, spent, [...steps, ...reserve].map((step) => this.estimateFor(step)));
  }
}
