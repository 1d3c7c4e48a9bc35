/**
 * Prices per million tokens, one row per model family. Cache writes cost 1.25× input and
 * cache reads 0.1× input, as the Messages API bills them. Costs are estimates: the API's
 * invoice is the truth.
 */
import type { Usage } from '../providers/types.js';

export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Matched in order against the model id; the first pattern that fits wins. */
export const PRICE_TABLE: ReadonlyArray<{ pattern: RegExp; family: string; price: Price }> = [
  { pattern: /opus-4-[01]\b|opus-4(-\d{8})?$|claude-3-opus/, family: 'opus (legacy)', price: { inputPerMTok: 15, outputPerMTok: 75 } },
  { pattern: /opus/, family: 'opus', price: { inputPerMTok: 5, outputPerMTok: 25 } },
  { pattern: /sonnet|mythos|fable/, family: 'sonnet', price: { inputPerMTok: 3, outputPerMTok: 15 } },
  { pattern: /3-5-haiku|haiku-3-5/, family: 'haiku 3.5', price: { inputPerMTok: 0.8, outputPerMTok: 4 } },
  { pattern: /haiku-3\b|3-haiku/, family: 'haiku (legacy)', price: { inputPerMTok: 0.25, outputPerMTok: 1.25 } },
  { pattern: /haiku/, family: 'haiku', price: { inputPerMTok: 1, outputPerMTok: 5 } },
];

export function priceFor(model: string): Price | null {
  return PRICE_TABLE.find((row) => row.pattern.test(model))?.price ?? null;
}

/** Estimated cost in USD, or null when the model is not in the table. */
export function estimateCost(model: string, usage: Usage): number | null {
  const price = priceFor(model);
  if (!price) return null;
  const perToken = price.inputPerMTok / 1e6;
  const cost =
    usage.input * perToken +
    usage.cacheWrite * perToken * 1.25 +
    usage.cacheRead * perToken * 0.1 +
    usage.output * (price.outputPerMTok / 1e6);
  return Math.round(cost * 1e6) / 1e6;
}

export function formatCost(cost: number | null): string {
  if (cost === null) return 'cost unknown for this model';
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
