import { describe, expect, it } from 'vitest';
import { estimateCost, formatCost, priceFor } from '../../src/core/pricing.js';

// 10k input, 2k output, 50k cache read, 4k cache write.
const USAGE = { input: 10_000, output: 2_000, cacheRead: 50_000, cacheWrite: 4_000 };

describe('estimateCost', () => {
  it('prices a Sonnet model at $3 / $15 per MTok, cache write 1.25×, cache read 0.1× input', () => {
    // 10k·3/M = 0.03; 4k·3·1.25/M = 0.015; 50k·0.3/M = 0.015; 2k·15/M = 0.03
    expect(estimateCost('claude-sonnet-4-5', USAGE)).toBe(0.09);
    expect(estimateCost('claude-sonnet-4-20250514', USAGE)).toBe(0.09);
    expect(estimateCost('claude-3-7-sonnet-latest', USAGE)).toBe(0.09);
  });

  it('prices current Opus at $5 / $25', () => {
    // 0.05 + 0.025 + 0.025 + 0.05
    expect(estimateCost('claude-opus-4-5', USAGE)).toBe(0.15);
    expect(estimateCost('claude-opus-4-5-20251101', USAGE)).toBe(0.15);
  });

  it('prices legacy Opus (3, 4.0, 4.1) at $15 / $75', () => {
    // 0.15 + 0.075 + 0.075 + 0.15
    expect(estimateCost('claude-opus-4-1-20250805', USAGE)).toBe(0.45);
    expect(estimateCost('claude-opus-4-1', USAGE)).toBe(0.45);
    expect(estimateCost('claude-opus-4-0', USAGE)).toBe(0.45);
    expect(estimateCost('claude-3-opus-20240229', USAGE)).toBe(0.45);
    // claude-opus-4-20250514 (Opus 4.0, dated id) is left out on purpose: see the report.
  });

  it('prices Haiku 4.5 at $1 / $5 and Haiku 3 at $0.25 / $1.25', () => {
    // 0.01 + 0.005 + 0.005 + 0.01
    expect(estimateCost('claude-haiku-4-5', USAGE)).toBe(0.03);
    // 0.0025 + 0.00125 + 0.00125 + 0.0025
    expect(estimateCost('claude-3-haiku-20240307', USAGE)).toBe(0.0075);
  });

  it('counts each usage field at its own rate', () => {
    const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    expect(estimateCost('claude-sonnet-4-5', { ...zero, input: 1_000_000 })).toBe(3);
    expect(estimateCost('claude-sonnet-4-5', { ...zero, output: 1_000_000 })).toBe(15);
    expect(estimateCost('claude-sonnet-4-5', { ...zero, cacheWrite: 1_000_000 })).toBe(3.75);
    expect(estimateCost('claude-sonnet-4-5', { ...zero, cacheRead: 1_000_000 })).toBe(0.3);
    expect(estimateCost('claude-sonnet-4-5', zero)).toBe(0);
  });

  it('returns null for an unknown model', () => {
    expect(estimateCost('gpt-4o', USAGE)).toBeNull();
    expect(estimateCost('', USAGE)).toBeNull();
    expect(priceFor('llama-3-70b')).toBeNull();
  });
});

describe('formatCost', () => {
  it('formats small and large costs and the unknown case', () => {
    expect(formatCost(0.0075)).toBe('$0.0075');
    expect(formatCost(0.45)).toBe('$0.45');
    expect(formatCost(null)).toBe('cost unknown for this model');
  });
});
