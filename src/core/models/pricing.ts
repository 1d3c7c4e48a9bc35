/**
 * What a call cost at list prices: the catalogue's rates in force on the day of the call, and the
 * long-prompt rates where a model has them (they apply per request, so a run's cost is the sum of
 * its calls' costs, never a price applied to summed usage). Estimates: the invoice is the truth.
 */
import type { Usage } from '../../providers/types.js';
import type { ModelEntry, PricePeriod, Rates } from './catalogue.js';

/** A model id as the run uses it, with its catalogue entry (null when the catalogue lacks it). */
export interface ResolvedModel {
  id: string;
  entry: ModelEntry | null;
}

/** The price period in force on `at` (UTC day); before the first period, the first. */
export function pricesAt(entry: ModelEntry, at: Date): PricePeriod {
  const day = at.toISOString().slice(0, 10);
  let current = entry.prices[0]!;
  for (const period of entry.prices) if (period.from <= day) current = period;
  return current;
}

/** Tokens a request's prompt counted: uncached input plus cache reads and writes. */
export function promptTokens(usage: Usage): number {
  return usage.input + usage.cacheRead + usage.cacheWrite;
}

/** The rates one request is billed at. */
export function ratesFor(period: PricePeriod, usage: Usage): Rates {
  const long = period.longPrompt;
  return long && promptTokens(usage) > long.above ? long : period;
}

/** USD for one call's usage (cache writes at the 5-minute rate, which is what mythos asks for). */
export function callCost(entry: ModelEntry, usage: Usage, at: Date): number {
  const rates = ratesFor(pricesAt(entry, at), usage);
  return (
    usage.input * rates.input + usage.cacheWrite * rates.cacheWrite5m + usage.cacheRead * rates.cacheRead + usage.output * rates.output
  ) / 1e6;
}

/** The sum of each call's cost, or null for a model without prices. */
export function costOfCalls(model: ResolvedModel, calls: ReadonlyArray<{ usage: Usage }>, at: Date): number | null {
  if (!model.entry) return null;
  const entry = model.entry;
  return roundCost(calls.reduce((sum, call) => sum + callCost(entry, call.usage, at), 0));
}

export function roundCost(cost: number): number {
  return Math.round(cost * 1e6) / 1e6;
}

export function formatCost(cost: number | null): string {
  if (cost === null) return 'cost unknown for this model';
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
