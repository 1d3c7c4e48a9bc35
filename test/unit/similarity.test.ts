import { describe, expect, it } from 'vitest';
import { closestMatch, contentWords, sameWording, similarity } from '../../src/core/recurrent/similarity.js';

const ECHO_LIKE = 0.8;

describe('contentWords', () => {
  it('lower-cases, drops stopwords and strips a plain plural', () => {
    expect([...contentWords('The Caches are warmed by the workers')]).toEqual(['cache', 'warmed', 'worker']);
  });

  it('keeps -ss words and short words whole', () => {
    expect([...contentWords('Process access gas bus')]).toEqual(['process', 'access', 'gas', 'bus']);
  });

  it('keeps hyphenated and apostrophe words as one token', () => {
    expect([...contentWords("Read-heavy traffic isn't write-heavy")]).toEqual(['read-heavy', 'traffic', "isn't", 'write-heavy']);
  });
});

describe('similarity', () => {
  it('is 1 for identical sentences', () => {
    const text = 'Retention decline comes from onboarding, not from the core product.';
    expect(similarity(text, text)).toBe(1);
  });

  it('is 0 for sentences with no content word in common', () => {
    expect(similarity('Cache stampedes follow mass expiry.', 'Onboarding friction drives churn.')).toBe(0);
  });

  it('is symmetric', () => {
    const a = 'SQLite fits a single-user desktop app without a server.';
    const b = 'PostgreSQL needs a server process the desktop user must run.';
    expect(similarity(a, b)).toBe(similarity(b, a));
  });

  it('is case- and plural-insensitive, and blind to word order', () => {
    const first = 'The stampede comes from invalidating the cache on every write.';
    const rephrased = 'Invalidating the cache on every write is where the stampede comes from.';
    expect(similarity(first, rephrased)).toBeGreaterThanOrEqual(ECHO_LIKE);
    expect(similarity('Caches need TTL jitter', 'cache needs ttl jitter')).toBe(1);
  });

  it('keeps a genuinely different insight well below the echo threshold', () => {
    const first = 'The stampede comes from invalidating the cache on every write.';
    const other = 'Request coalescing lets one worker refill a hot key while others wait.';
    expect(similarity(first, other)).toBeLessThan(ECHO_LIKE / 2);
    const sameTopic = 'Jittered expiry spreads cache refills so they never line up at once.';
    expect(similarity(first, sameTopic)).toBeLessThan(ECHO_LIKE / 2);
  });

  it('computes Sørensen–Dice over content words', () => {
    // {alpha, beta, gamma} vs {alpha, beta, delta}: 2·2 / (3 + 3)
    expect(similarity('alpha beta gamma', 'alpha beta delta')).toBeCloseTo(2 / 3, 10);
    // {alpha} vs {alpha, beta, gamma}: 2·1 / (1 + 3)
    expect(similarity('alpha', 'alpha beta gamma')).toBe(0.5);
  });

  it('handles sentences with no content words', () => {
    expect(similarity('it is what it is', 'it is what it is')).toBe(1);
    expect(similarity('it is', 'it was')).toBe(0);
    expect(similarity('', 'cache')).toBe(0);
  });
});

describe('sameWording: the only repeat code settles alone', () => {
  it('holds for the same content words in the same order, case, plurals and function words aside', () => {
    expect(sameWording('Caches need TTL jitter.', 'The cache needs ttl jitter!')).toBe(true);
  });

  it('fails for a reordering, a negation, or nothing to compare', () => {
    expect(sameWording('Choose SQLite over PostgreSQL here.', 'Choose PostgreSQL over SQLite here.')).toBe(false);
    expect(sameWording('Adopt the cache.', 'Do not adopt the cache.')).toBe(false);
    expect(sameWording('Кэш нужен здесь.', 'Кэш не нужен здесь.')).toBe(false);
    expect(sameWording('it is', 'it is')).toBe(false);
  });
});

describe('closestMatch', () => {
  const earlier = [
    'The question is really about retention, not acquisition.',
    'Onboarding friction explains most of the retention drop.',
    'Runway of three months rules out a full rebuild.',
  ];

  it('returns the index and score of the most similar earlier insight', () => {
    const match = closestMatch('Onboarding friction explains most of the drop in retention.', earlier);
    expect(match.index).toBe(1);
    expect(match.score).toBe(1);
  });

  it('picks the best, not the first, partial match', () => {
    const match = closestMatch('Three months of runway rules out a rebuild of onboarding.', earlier);
    expect(match.index).toBe(2);
    expect(match.score).toBeCloseTo(similarity('Three months of runway rules out a rebuild of onboarding.', earlier[2]!), 10);
  });

  it('returns index -1 and score 0 with nothing earlier or nothing shared', () => {
    expect(closestMatch('anything at all', [])).toEqual({ score: 0, index: -1 });
    expect(closestMatch('Pricing experiments', earlier)).toEqual({ score: 0, index: -1 });
  });
});
