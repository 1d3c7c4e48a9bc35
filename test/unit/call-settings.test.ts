import { describe, expect, it } from 'vitest';
import { loadCatalogue, lookupModel } from '../../src/core/models/catalogue.js';
import { callSettings, fitEffort, REPLY_TOKENS, THINKING_ROOM, wantedEffort } from '../../src/core/models/call-settings.js';
import { estimateTokens, priorEstimate } from '../../src/core/models/usage-estimate.js';

const catalogue = loadCatalogue(null);
const model = (id: string) => ({ id, entry: lookupModel(catalogue, id) });

describe('effort by step', () => {
  it('keeps bookkeeping steps low and lets the Coda think hardest by default', () => {
    expect(wantedEffort('judge', undefined)).toBe('low');
    expect(wantedEffort('round', undefined)).toBe('medium');
    expect(wantedEffort('coda', undefined)).toBe('high');
  });

  it('applies --effort to the reasoning steps, and to bookkeeping only when it is lower', () => {
    expect(wantedEffort('round', 'max')).toBe('max');
    expect(wantedEffort('judge', 'max')).toBe('low');
    expect(wantedEffort('prelude', 'low')).toBe('low');
  });

  it('fits a level to what the model offers, never above the one asked for', () => {
    expect(fitEffort(['low', 'medium', 'high'], 'max')).toBe('high');
    expect(fitEffort(['low', 'medium', 'high'], 'medium')).toBe('medium');
    expect(fitEffort(['high', 'max'], 'low')).toBe('high');
    expect(fitEffort([], 'high')).toBeNull();
  });
});

describe('max_tokens holds thinking plus the reply', () => {
  it('gives a thinking model room for thinking at the call’s effort', () => {
    expect(callSettings(model('claude-sonnet-5-5'), 'judge')).toEqual({ effort: 'low', maxTokens: REPLY_TOKENS.judge + THINKING_ROOM.low, maxTokensCeiling: 128_000, thinks: true });
    expect(callSettings(model('claude-sonnet-5-5'), 'coda').maxTokens).toBe(REPLY_TOKENS.coda + THINKING_ROOM.high);
    expect(callSettings(model('claude-opus-5-5'), 'round', 'max').maxTokens).toBe(REPLY_TOKENS.round + 64_000);
  });

  it('sends no effort and no thinking room to a model that neither takes effort nor thinks by default', () => {
    expect(callSettings(model('claude-haiku-4-5'), 'coda')).toEqual({ effort: null, maxTokens: REPLY_TOKENS.coda, maxTokensCeiling: 64_000, thinks: false });
  });

  it('never asks more than the model can write', () => {
    for (const entry of catalogue.entries) {
      const settings = callSettings({ id: entry.ids[0]!, entry }, 'coda', 'max');
      expect(settings.maxTokens).toBeLessThanOrEqual(entry.maxOutput);
      if (settings.effort) expect(entry.effort.levels).toContain(settings.effort);
    }
  });

  it('keeps an unknown model modest: no effort, room for some thinking, no regrowth past an older model’s limit', () => {
    expect(callSettings({ id: 'acme-1', entry: null }, 'round', 'max')).toMatchObject({ effort: null, maxTokens: REPLY_TOKENS.round + 4_000, maxTokensCeiling: REPLY_TOKENS.round + 4_000 });
    expect(callSettings({ id: 'acme-1', entry: null }, 'coda').maxTokens).toBeLessThanOrEqual(8_192);
  });
});

describe('usage before a call is made', () => {
  it('counts ASCII at three characters a token (code runs that dense) and other scripts by code points', () => {
    expect(estimateTokens('a'.repeat(300))).toBe(100);
    expect(estimateTokens('キャッシュ')).toBe(5);
  });

  it('includes expected thinking and the prefix as a cache write, then a read', () => {
    const settings = callSettings(model('claude-sonnet-5-5'), 'round');
    const base = { step: 'round' as const, promptTokens: 900, systemTokens: 1_800, cacheable: true, settings, defaultEffort: 'high' as const };
    const cold = priorEstimate({ ...base, cacheWarm: false });
    expect(cold).toEqual({ input: 900, output: REPLY_TOKENS.round / 2 + 2_500, cacheRead: 0, cacheWrite: 1_800, thinking: 2_500 });
    expect(priorEstimate({ ...base, cacheWarm: true })).toMatchObject({ cacheRead: 1_800, cacheWrite: 0 });
    expect(priorEstimate({ ...base, cacheable: false, cacheWarm: false })).toMatchObject({ input: 2_700, cacheWrite: 0 });
  });
});
