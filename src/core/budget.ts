/**
 * Spending caps (--max-cost, --max-tokens). They hold for the whole run, Prelude and Coda
 * included, in two ways:
 * - before a round or a dispatch, the run asks whether the next calls plus a reserve for the
 *   closing calls still fit, with estimates from the calls already made for that step, or a prior
 *   built from the prompt's size and the step's expected reply and thinking;
 * - every call's max_tokens is clamped to what is left under the caps after its prompt, so even a
 *   reply far longer than expected cannot carry the run past them.
 */
import { CapTooSmallError, UsageError } from './errors.js';
import { callCost, formatCost, pricesAt, ratesFor, type ResolvedModel } from './models/pricing.js';
import { addUsage, ZERO_USAGE, type CallStep, type Usage } from '../providers/types.js';
import type { CallRecord } from './state.js';

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

/** The mean usage of earlier calls of a step, or null when there were none. */
export function observedEstimate(step: CallStep, calls: readonly CallRecord[]): Usage | null {
  const same = calls.filter((c) => c.step === step);
  if (same.length === 0) return null;
  const mean = (pick: (u: Usage) => number) => Math.ceil(same.reduce((sum, c) => sum + pick(c.usage), 0) / same.length);
  const usage: Usage = { input: mean((u) => u.input), output: mean((u) => u.output), cacheRead: mean((u) => u.cacheRead), cacheWrite: mean((u) => u.cacheWrite) };
  const thinking = mean((u) => u.thinking ?? 0);
  return thinking ? { ...usage, thinking } : usage;
}

/** A cost cap needs a price: for a model without one it could never trigger, so it is refused up front. */
export function assertEnforceable(limits: BudgetLimits, model: ResolvedModel): void {
  if (limits.maxCostUsd !== undefined && model.entry === null) {
    throw new UsageError(`--max-cost cannot be enforced for ${model.id}: its price is not known`, 'cap the run with --max-tokens, which needs no price, or add the model to $MYTHOS_HOME/models.json');
  }
}

/** How much more than its expected output a closing call has set aside. */
export const RESERVE_FACTOR = 1.5;

export interface Spent {
  usage: Usage;
  costUsd: number;
}

export class Budget {
  constructor(
    readonly limits: BudgetLimits,
    private readonly model: ResolvedModel,
    private readonly at: Date,
    /** Expected usage of one call of a step. */
    private readonly estimateFor: (step: CallStep) => Usage,
  ) {}

  get active(): boolean {
    return this.limits.maxCostUsd !== undefined || this.limits.maxTokens !== undefined;
  }

  estimate(step: CallStep): Usage {
    return this.estimateFor(step);
  }

  /** The cost of a call with this usage, or 0 without a price (then only the token cap applies). */
  private cost(usage: Usage): number {
    return this.model.entry ? callCost(this.model.entry, usage, this.at) : 0;
  }

  /**
   * The closing calls get half again their expected output as a reserve, so the Coda has room
   * even when it runs long; its max_tokens is then clamped to that room.
   */
  private reserve(step: CallStep): Usage {
    const expected = this.estimateFor(step);
    return { ...expected, output: Math.ceil(expected.output * RESERVE_FACTOR) };
  }

  /** Whether `next` calls, then the closing calls, fit on top of what was spent. */
  fits(spent: Spent, next: readonly CallStep[], closing: readonly CallStep[]): boolean {
    if (!this.active) return true;
    const planned = [...next.map((s) => this.estimateFor(s)), ...closing.map((s) => this.reserve(s))];
    const { maxTokens, maxCostUsd } = this.limits;
    if (maxTokens !== undefined && billedTokens(planned.reduce(addUsage, spent.usage)) > maxTokens) return false;
    if (maxCostUsd !== undefined && spent.costUsd + planned.reduce((sum, u) => sum + this.cost(u), 0) > maxCostUsd) return false;
    return true;
  }

  /**
   * The most output (thinking included) a call may produce so that, with its prompt of about
   * `promptTokens`, the run stays under the caps while `closing` calls still fit after it.
   * Infinity when no cap is set.
   */
  outputAllowance(spent: Spent, promptTokens: number, closing: readonly CallStep[]): number {
    if (!this.active) return Number.POSITIVE_INFINITY;
    const after = closing.map((s) => this.reserve(s));
    let allowance = Number.POSITIVE_INFINITY;
    const { maxTokens, maxCostUsd } = this.limits;
    if (maxTokens !== undefined) {
      allowance = maxTokens - billedTokens(after.reduce(addUsage, spent.usage)) - promptTokens;
    }
    if (maxCostUsd !== undefined && this.model.entry) {
      const prompt: Usage = { ...ZERO_USAGE, input: promptTokens };
      const left = maxCostUsd - spent.costUsd - after.reduce((sum, u) => sum + this.cost(u), 0) - this.cost(prompt);
      const outputRate = ratesFor(pricesAt(this.model.entry, this.at), prompt).output / 1e6;
      allowance = Math.min(allowance, outputRate > 0 ? left / outputRate : Number.POSITIVE_INFINITY);
    }
    return Math.max(0, Math.floor(allowance));
  }

  /** Refuses a run whose caps cannot cover even its first and last call, before anything is spent. */
  assertCanStart(first: Usage, last: CallStep): void {
    if (!this.active || this.fits({ usage: first, costUsd: this.cost(first) }, [], [last])) return;
    const needed = addUsage(first, this.reserve(last));
    const { maxTokens, maxCostUsd } = this.limits;
    if (maxTokens !== undefined && billedTokens(needed) > maxTokens) {
      const floor = Math.ceil(billedTokens(needed) / 1000) * 1000;
      throw new CapTooSmallError(
        `--max-tokens ${maxTokens} cannot cover even the Prelude and a direct answer (about ${billedTokens(needed)} tokens with ${this.model.id})`,
        '--max-tokens', String(floor),
      );
    }
    const cost = this.cost(first) + this.cost(this.reserve(last));
    // Whole cents, written as the flag takes it (no $), so the hint can be typed as it reads.
    const floor = (Math.ceil(cost * 100) / 100 || 0.01).toFixed(2);
    throw new CapTooSmallError(
      `--max-cost ${formatCost(maxCostUsd ?? 0)} cannot cover even the Prelude and a direct answer (about ${formatCost(cost)} with ${this.model.id})`,
      '--max-cost', floor,
    );
  }
}
