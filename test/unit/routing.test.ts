import { describe, expect, it } from 'vitest';
import { complexityScore, modeForScore, route } from '../../src/core/prelude/routing.js';
import { FACTOR_KEYS, type PreludeReply } from '../../src/core/schemas.js';
import { keywordMode, parseInvocation } from '../../src/core/prelude/keywords.js';

type FactorKey = (typeof FACTOR_KEYS)[number];

function factors(...present: FactorKey[]): PreludeReply['factors'] {
  const entries = FACTOR_KEYS.map((key) => [key, { present: present.includes(key), reason: `${key} judged` }]);
  return Object.fromEntries(entries) as PreludeReply['factors'];
}

describe('complexityScore: one point per present factor, floor 1', () => {
  it('scores zero factors as 1', () => {
    expect(complexityScore(factors())).toBe(1);
  });

  it('scores one point for each present factor', () => {
    expect(complexityScore(factors('multi_hop'))).toBe(1);
    expect(complexityScore(factors('multi_hop', 'high_stakes'))).toBe(2);
    expect(complexityScore(factors('ambiguous_tradeoffs', 'hidden_assumptions', 'novel_domain'))).toBe(3);
    expect(complexityScore(factors('multi_hop', 'ambiguous_tradeoffs', 'hidden_assumptions', 'novel_domain'))).toBe(4);
    expect(complexityScore(factors(...FACTOR_KEYS))).toBe(5);
  });

  it('counts each factor, whichever it is', () => {
    for (const key of FACTOR_KEYS) {
      const others = FACTOR_KEYS.filter((k) => k !== key);
      expect(complexityScore(factors(...others))).toBe(4);
    }
  });
});

describe('modeForScore', () => {
  it('routes 1 → direct, 2–3 → silent, 4–5 → agent', () => {
    expect([1, 2, 3, 4, 5].map(modeForScore)).toEqual(['direct', 'silent', 'silent', 'agent', 'agent']);
  });
});

describe('route: --mode beats a keyword beats the score', () => {
  it('uses the score when nothing is forced', () => {
    expect(route(1, {})).toEqual({ score: 1, mode: 'direct', source: 'score' });
    expect(route(3, { flag: undefined, keyword: undefined })).toEqual({ score: 3, mode: 'silent', source: 'score' });
    expect(route(4, {})).toEqual({ score: 4, mode: 'agent', source: 'score' });
  });

  it('lets a keyword override routing but keeps the score (diagnosis unchanged)', () => {
    expect(route(5, { keyword: 'silent' })).toEqual({ score: 5, mode: 'silent', source: 'keyword' });
    expect(route(2, { keyword: 'agent' })).toEqual({ score: 2, mode: 'agent', source: 'keyword' });
    expect(route(1, { keyword: 'trace' })).toEqual({ score: 1, mode: 'trace', source: 'keyword' });
  });

  it('lets the --mode flag beat a keyword', () => {
    expect(route(2, { flag: 'trace', keyword: 'agent' })).toEqual({ score: 2, mode: 'trace', source: 'flag' });
    expect(route(5, { flag: 'direct', keyword: 'silent' })).toEqual({ score: 5, mode: 'direct', source: 'flag' });
    expect(route(3, { flag: 'agent' })).toEqual({ score: 3, mode: 'agent', source: 'flag' });
  });

  it('end to end: "/mythos quick Pivot or stay?" at complexity 5 runs silent with score 5', () => {
    const { question, keyword } = parseInvocation('quick Pivot or stay?'.split(' '));
    const score = complexityScore(factors(...FACTOR_KEYS));
    expect(question).toBe('Pivot or stay?');
    expect(route(score, { keyword: keywordMode(keyword) })).toEqual({ score: 5, mode: 'silent', source: 'keyword' });
  });

  it('end to end: "/mythos deep …" at complexity 1 fans out while the score stays 1', () => {
    const { keyword } = parseInvocation('deep Should I use SQLite or PostgreSQL?'.split(' '));
    expect(route(complexityScore(factors()), { keyword: keywordMode(keyword) })).toEqual({ score: 1, mode: 'agent', source: 'keyword' });
  });
});
