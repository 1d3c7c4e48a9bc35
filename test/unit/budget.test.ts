import { describe, expect, it } from 'vitest';
import { Budget, assertEnforceable } from '../../src/core/budget.js';
import { UsageError } from '../../src/core/errors.js';
import { loadCatalogue, lookupModel } from '../../src/core/models/catalogue.js';
import type { CallStep, Usage } from '../../src/providers/types.js';

const sonnet = { id: 'claude-sonnet-5-5', entry: lookupModel(loadCatalogue(null), 'claude-sonnet-5-5') };
const AT = new Date('2026-12-05T12:00:00Z');
const usage = (input: number, output: number): Usage => ({ input, output, cacheRead: 0, cacheWrite: 0 });
// Every step is expected to take 1,000 tokens in and 1,000 out: $0.002 + $0.01 on Sonnet 5.5.
const flat = () => usage(1_000, 1_000);
const none = { usage: usage(0, 0), costUsd: 0 };

describe('Budget.fits', () => {
  it('counts the next calls plus half again the expected output of the closing calls', () => {
    const budget = new Budget({ maxTokens: 4_500 }, sonnet, AT, flat);
    // round (2,000) + Coda reserve (1,000 + 1.5 × 1,000) = 4,500.
    expect(budget.fits(none, ['round'], ['coda'])).toBe(true);
    expect(budget.fits({ usage: usage(1, 0), costUsd: 0 }, ['round'], ['coda'])).toBe(false);
  });

  it('prices each planned call on its own against --max-cost', () => {
    const budget = new Budget({ maxCostUsd: 0.03 }, sonnet, AT, flat);
    // round $0.012 + Coda reserve $0.017 = $0.029.
    expect(budget.fits(none, ['round'], ['coda'])).toBe(true);
    expect(budget.fits(none, ['round', 'judge'] as CallStep[], ['coda'])).toBe(false);
  });

  it('never stops a run without caps', () => {
    expect(new Budget({}, sonnet, AT, flat).fits({ usage: usage(1e9, 1e9), costUsd: 1e6 }, ['round'], ['coda'])).toBe(true);
  });
});

describe('Budget.outputAllowance clamps each call', () => {
  it('leaves a call only what the token cap holds after its prompt and the closing reserve', () => {
    const budget = new Budget({ maxTokens: 10_000 }, sonnet, AT, flat);
    expect(budget.outputAllowance({ usage: usage(2_000, 1_000), costUsd: 0 }, 1_500, ['coda'])).toBe(10_000 - 3_000 - 2_500 - 1_500);
    expect(budget.outputAllowance(none, 1_500, [])).toBe(8_500);
  });

  it('turns the dollars left into output tokens at the model’s output rate', () => {
    const budget = new Budget({ maxCostUsd: 0.1 }, sonnet, AT, flat);
    // $0.1 − 1,000 prompt tokens ($0.002) leaves $0.098: 9,800 output tokens at $10 per million.
    expect(budget.outputAllowance(none, 1_000, [])).toBe(9_800);
    expect(budget.outputAllowance({ usage: usage(0, 0), costUsd: 0.2 }, 1_000, [])).toBe(0);
  });

  it('is unlimited without caps', () => {
    expect(new Budget({}, sonnet, AT, flat).outputAllowance(none, 1_000, ['coda'])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('refusing caps up front', () => {
  it('names the cap, the need and a floor when the Prelude and a Coda cannot fit', () => {
    const budget = new Budget({ maxTokens: 10 }, sonnet, AT, flat);
    expect(() => budget.assertCanStart(usage(900, 1_000), 'coda')).toThrow(UsageError);
    expect(() => budget.assertCanStart(usage(900, 1_000), 'coda')).toThrow('--max-tokens 10 cannot cover even the Prelude and a direct answer (about 4400 tokens with claude-sonnet-5-5)');
    const cost = new Budget({ maxCostUsd: 0.001 }, sonnet, AT, flat);
    expect(() => cost.assertCanStart(usage(900, 1_000), 'coda')).toThrow(/--max-cost \$0\.0010 cannot cover .*about \$0\.03/);
    expect(() => new Budget({ maxTokens: 4_400 }, sonnet, AT, flat).assertCanStart(usage(900, 1_000), 'coda')).not.toThrow();
  });

  it('refuses --max-cost for a model without a price', () => {
    expect(() => assertEnforceable({ maxCostUsd: 1 }, { id: 'acme-1', entry: null })).toThrow(/price is not known/);
    expect(() => assertEnforceable({ maxTokens: 1 }, { id: 'acme-1', entry: null })).not.toThrow();
  });
});
