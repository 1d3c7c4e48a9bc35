import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundledFileError, UsageError } from '../../src/core/errors.js';
import { loadCatalogue, lookupModel } from '../../src/core/models/catalogue.js';
import { callCost, costOfCalls, pricesAt } from '../../src/core/models/pricing.js';

const bundled = loadCatalogue(null);
const entry = (id: string) => {
  const found = lookupModel(bundled, id);
  if (!found) throw new Error(`no entry for ${id}`);
  return found;
};
const MTOK = { input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0 };
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('model lookup', () => {
  it('finds the longest id a requested id starts with, at a boundary', () => {
    expect(entry('claude-sonnet-5-5').name).toBe('Claude Sonnet 5.5');
    expect(entry('claude-sonnet-5').name).toBe('Claude Sonnet 5');
    expect(entry('claude-sonnet-5-5-20270101').name).toBe('Claude Sonnet 5.5');
    expect(entry('anthropic.claude-opus-5-5').name).toBe('Claude Opus 5.5');
    expect(entry('claude-mythos-5-2').name).toBe('Claude Fable 5.2');
    expect(lookupModel(bundled, 'claude-sonnet-50')).toBeNull();
    expect(lookupModel(bundled, 'gpt-4o')).toBeNull();
  });

  it('looks through snapshot dates and gateway tags, never into a newer version', () => {
    expect(entry('claude-opus-5-5-latest').name).toBe('Claude Opus 5.5');
    expect(entry('us.anthropic.claude-sonnet-5-5-20270101-v1:0').name).toBe('Claude Sonnet 5.5');
    expect(entry('claude-sonnet-5-5@20270101').name).toBe('Claude Sonnet 5.5');
    expect(entry('claude-opus-5-5[1m]').name).toBe('Claude Opus 5.5');
    for (const newer of ['claude-fable-5-3', 'claude-opus-5-6', 'claude-sonnet-5-7', 'claude-sonnet-5-5-2', 'claude-haiku-5-5-fast']) {
      expect(lookupModel(bundled, newer), newer).toBeNull();
    }
  });

  it('records what each model does with thinking and effort', () => {
    expect(entry('claude-sonnet-5-5').thinking).toEqual({ default: 'adaptive', accepts: ['adaptive', 'between_tools'] });
    expect(entry('claude-opus-5-5').effort.default).toBe('medium');
    expect(entry('claude-haiku-5-5').effort.default).toBe('medium');
    expect(entry('claude-fable-5-2').effort.default).toBe('high');
    expect(entry('claude-haiku-4-5')).toMatchObject({ thinking: { default: 'off' }, effort: { levels: [] }, maxOutput: 64_000 });
  });
});

describe('list prices', () => {
  it('prices Fable and Mythos at their own rates, not Sonnet’s', () => {
    expect(callCost(entry('claude-fable-5-2'), MTOK, day('2026-12-05'))).toBe(8);
    expect(callCost(entry('claude-mythos-5-1'), { ...MTOK, input: 0, output: 1_000_000 }, day('2026-12-05'))).toBe(50);
  });

  it('applies the Sonnet 5.5 cache-read cut from 2026-10-07, and the old rate before it', () => {
    const read = { input: 0, output: 0, cacheRead: 1_000_000, cacheWrite: 0 };
    expect(callCost(entry('claude-sonnet-5-5'), read, day('2026-10-06'))).toBe(0.2);
    expect(callCost(entry('claude-sonnet-5-5'), read, day('2026-10-07'))).toBe(0.1);
    expect(pricesAt(entry('claude-sonnet-5-5'), day('2026-12-05')).cacheRead).toBe(0.1);
  });

  it('bills every token of a Haiku 5.5 request at the long-prompt rates once its prompt passes 100,000 tokens', () => {
    const haiku = entry('claude-haiku-5-5');
    const at = day('2026-12-05');
    expect(callCost(haiku, { input: 100_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0 }, at)).toBeCloseTo(0.01 + 0.5, 10);
    // Cache reads count towards the prompt's length: 60k uncached + 41k read is over the line.
    expect(callCost(haiku, { input: 60_000, output: 1_000_000, cacheRead: 41_000, cacheWrite: 0 }, at)).toBeCloseTo(0.03 + 2.5 + 0.00205, 10);
  });

  it('sums a run call by call, so one long prompt does not reprice the others', () => {
    const model = { id: 'claude-haiku-5-5', entry: entry('claude-haiku-5-5') };
    const small = { usage: { input: 50_000, output: 0, cacheRead: 0, cacheWrite: 0 } };
    expect(costOfCalls(model, [small, small, small], day('2026-12-05'))).toBeCloseTo(0.015, 10);
    expect(costOfCalls({ id: 'x', entry: null }, [small], day('2026-12-05'))).toBeNull();
  });
});

describe('the user’s catalogue file', () => {
  const home = () => mkdtempSync(join(tmpdir(), 'mythos-models-'));
  const model = (ids: string[], input: number) => ({
    ids, name: 'Mine', status: 'current', contextWindow: 200_000, maxOutput: 32_000, minCacheTokens: 1024,
    thinking: { default: 'adaptive', accepts: ['adaptive'] }, effort: { levels: ['low', 'high'], default: 'high' },
    prices: [{ from: '2026-01-01', input, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 0.1 }],
  });

  it('adds models and replaces bundled entries that share an id', () => {
    const file = join(home(), 'models.json');
    writeFileSync(file, JSON.stringify({ version: 1, models: [model(['acme-reasoner'], 1), model(['claude-sonnet-5-5'], 9)] }));
    const catalogue = loadCatalogue(file);
    expect(lookupModel(catalogue, 'acme-reasoner-20270101')?.name).toBe('Mine');
    expect(lookupModel(catalogue, 'acme-reasoner-2')).toBeNull();
    expect(callCost(lookupModel(catalogue, 'claude-sonnet-5-5')!, MTOK, day('2026-12-05'))).toBe(9);
    expect(lookupModel(catalogue, 'claude-opus-5-5')?.name).toBe('Claude Opus 5.5');
  });

  it('fails as a usage error naming the file when it is malformed', () => {
    const file = join(home(), 'models.json');
    writeFileSync(file, JSON.stringify({ version: 1, models: [{ ...model(['x'], 1), prices: [] }] }));
    expect(() => loadCatalogue(file)).toThrow(UsageError);
    expect(() => loadCatalogue(file)).toThrow(file);
    writeFileSync(file, '{ not json');
    expect(() => loadCatalogue(file)).toThrow(/is not JSON/);
  });

  it('fails loudly, naming the path, when the bundled file is broken', () => {
    const file = join(home(), 'catalogue.json');
    writeFileSync(file, JSON.stringify({ version: 1, models: [{ ...model(['x'], 1), prices: [{ from: '2026-02-01', input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 }, { from: '2026-01-01', input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 }] }] }));
    expect(() => loadCatalogue(null, file)).toThrow(BundledFileError);
    expect(() => loadCatalogue(null, file)).toThrow(/oldest first/);
  });
});
