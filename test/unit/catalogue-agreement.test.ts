/**
 * The catalogue (what mythos believes of each model) against the fake API's 5.x rules (what the
 * API does, written apart from it): they must agree on every fact both hold. And the README's
 * model table is generated from the catalogue, never edited by hand.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, lookupModel } from '../../src/core/models/catalogue.js';
import { pricesAt } from '../../src/core/models/pricing.js';
import { CLAUDE_5_RULES } from '../fake-api/claude-5-rules.js';

const catalogue = loadCatalogue(null);
const TODAY = new Date('2026-12-05T12:00:00Z');

describe.each(Object.entries(CLAUDE_5_RULES))('%s', (id, rules) => {
  const entry = lookupModel(catalogue, id)!;

  it('is in the catalogue with the API’s limits, thinking and effort', () => {
    expect(entry).not.toBeNull();
    expect(entry.maxOutput).toBe(rules.maxOutput);
    expect(entry.minCacheTokens).toBe(rules.minCacheTokens);
    expect(entry.thinking.default === 'adaptive').toBe(rules.thinksByDefault);
    expect([...entry.thinking.accepts].sort()).toEqual([...rules.accepts].sort());
    expect(entry.effort.levels).toEqual(rules.effortLevels);
    expect(entry.effort.default).toBe(rules.defaultEffort);
  });

  it('is priced as the API bills it today', () => {
    const period = pricesAt(entry, TODAY);
    expect({ input: period.input, output: period.output, cacheWrite5m: period.cacheWrite5m, cacheRead: period.cacheRead }).toEqual(rules.rates);
    if (rules.longPrompt) expect(period.longPrompt).toMatchObject(rules.longPrompt);
    else expect(period.longPrompt).toBeUndefined();
  });
});

it('the README’s model table is what models/catalogue.json renders', () => {
  const check = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/model-table.mjs'), '--check'], { encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.status).toBe(0);
});
