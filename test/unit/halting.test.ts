import { describe, expect, it } from 'vitest';
import { decideRound, isConcreteInsight, isOscillation, type RoundFacts } from '../../src/core/recurrent/halting.js';
import type { JudgeReply, RoundReply } from '../../src/core/schemas.js';

const KEPT = [
  'The question is about retention, not acquisition.',
  'Onboarding friction explains most of the retention drop.',
];

function reply(overrides: Partial<RoundReply> = {}): RoundReply {
  return {
    new_insight: 'Three months of runway rules out rebuilding the product from scratch.',
    what_changed: 'The option space narrowed.',
    convergence: 'evolving',
    stance: 'stay and fix onboarding',
    missed_driver: null,
    ...overrides,
  };
}

function judge(overrides: Partial<JudgeReply> = {}): JudgeReply {
  return { verdict: 'advances', reason: 'adds the runway constraint', on_question: true, self_consistent: false, ...overrides };
}

function facts(overrides: Partial<RoundFacts> = {}): RoundFacts {
  return {
    reply: reply(),
    judge: judge(),
    keptInsights: KEPT,
    keptStances: ['stay', 'stay and fix onboarding'],
    challengeDone: false,
    lastPlanned: false,
    ...overrides,
  };
}

describe('isConcreteInsight', () => {
  it('needs a real sentence, not a label or nothing', () => {
    expect(isConcreteInsight('')).toBe(false);
    expect(isConcreteInsight('   ')).toBe(false);
    expect(isConcreteInsight('Trade-offs matter')).toBe(false);
    expect(isConcreteInsight('Rebuilding is risky.')).toBe(false);
    expect(isConcreteInsight('Runway rules out a rebuild.')).toBe(true);
  });
});

describe('isOscillation', () => {
  it('detects A → B → A', () => {
    expect(isOscillation(['pivot to enterprise', 'stay with consumers'], 'pivot to enterprise')).toBe(true);
  });
  it('does not fire on A → A → A, A → B → C or with fewer than two stances', () => {
    expect(isOscillation(['pivot to enterprise', 'pivot to enterprise'], 'pivot to enterprise')).toBe(false);
    expect(isOscillation(['pivot to enterprise', 'stay with consumers'], 'sell the company')).toBe(false);
    expect(isOscillation(['stay with consumers'], 'pivot to enterprise')).toBe(false);
    expect(isOscillation([], 'pivot')).toBe(false);
  });
});

describe('decideRound', () => {
  it('discards a round without a concrete insight: converged:no-delta', () => {
    const d = decideRound(facts({ reply: reply({ new_insight: 'Retention, again' }) }));
    expect(d).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: [] });
    expect(d.why).toBe('the round produced no concrete one-sentence insight');
  });

  it('discards an echo of an earlier insight: ECHO + converged:no-delta, naming the round and score', () => {
    const d = decideRound(facts({ reply: reply({ new_insight: 'Most of the retention drop: onboarding friction explains it.' }) }));
    expect(d).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { score: 1, of: 2 } });
    expect(d.why).toBe('the insight repeats round 2 (similarity 1)');
  });

  it('reports the closest kept round even when the round is kept', () => {
    // {retention, acquisition, decide, whether, runway, suffice} vs round 1's {question, retention, acquisition}: 2·2 / 9
    const d = decideRound(facts({ reply: reply({ new_insight: 'Retention, not acquisition, decides whether runway suffices.' }) }));
    expect(d).toMatchObject({ keep: true, echo: { score: 0.444, of: 1 } });
    expect(decideRound(facts({ keptInsights: [], keptStances: [], judge: null })).echo).toEqual({ score: 0, of: null });
  });

  it('discards on a judge verdict of regresses: REGRESSION + negative-delta, quoting the judge', () => {
    const d = decideRound(facts({ judge: judge({ verdict: 'regresses', reason: 'contradicts round 2 without evidence' }) }));
    expect(d).toMatchObject({ keep: false, halt: 'negative-delta', flags: ['REGRESSION'] });
    expect(d.why).toBe('judge: contradicts round 2 without evidence');
  });

  it('discards a self-reported negative delta: negative-delta, no flag', () => {
    const d = decideRound(facts({ reply: reply({ convergence: 'negative-delta' }) }));
    expect(d).toMatchObject({ keep: false, halt: 'negative-delta', flags: [] });
    expect(d.why).toContain('degrades');
  });

  it('discards a drifting round (judge on_question=false) with DRIFT and keeps going', () => {
    const d = decideRound(facts({ judge: judge({ on_question: false, reason: 'talks about hiring instead' }) }));
    expect(d).toMatchObject({ keep: false, halt: null, flags: ['DRIFT'] });
    expect(d.why).toBe('judge: the round drifted off the question (talks about hiring instead)');
  });

  it('a drifting last planned round ends the block at max-rounds', () => {
    const d = decideRound(facts({ judge: judge({ on_question: false }), lastPlanned: true }));
    expect(d).toMatchObject({ keep: false, halt: 'max-rounds', flags: ['DRIFT'] });
  });

  it('keeps an A → B → A round but halts: OSCILLATION + oscillation', () => {
    const d = decideRound(facts({
      keptStances: ['pivot to enterprise', 'stay with consumers'],
      reply: reply({ stance: 'pivot to enterprise' }),
    }));
    expect(d).toMatchObject({ keep: true, halt: 'oscillation', flags: ['OSCILLATION'] });
    expect(d.why).toBe('the conclusion swung back to the stance of two rounds ago');
  });

  it('after Challenge, a trivial verdict converges: converged:trivial-delta', () => {
    const d = decideRound(facts({ challengeDone: true, judge: judge({ verdict: 'trivial', reason: 'restates the runway limit' }) }));
    expect(d).toMatchObject({ keep: true, halt: 'converged:trivial-delta', flags: [] });
    expect(d.why).toBe('judge: restates the runway limit');
  });

  it('before Challenge, a trivial verdict keeps going', () => {
    const d = decideRound(facts({ challengeDone: false, judge: judge({ verdict: 'trivial', reason: 'minor' }) }));
    expect(d).toMatchObject({ keep: true, halt: null, flags: [] });
  });

  it('after Challenge, stable + self-consistent converges: converged:self-consistent', () => {
    const d = decideRound(facts({ challengeDone: true, reply: reply({ convergence: 'stable' }), judge: judge({ self_consistent: true }) }));
    expect(d).toMatchObject({ keep: true, halt: 'converged:self-consistent', flags: [] });
    expect(d.why).toBe('stable, and the judge found the chain self-consistent');
  });

  it('needs all three for self-consistent: stable, judged consistent, Challenge done', () => {
    const base = { reply: reply({ convergence: 'stable' }), judge: judge({ self_consistent: true }) } as const;
    expect(decideRound(facts({ ...base, challengeDone: false })).halt).toBeNull();
    expect(decideRound(facts({ ...base, challengeDone: true, reply: reply({ convergence: 'evolving' }) })).halt).toBeNull();
    expect(decideRound(facts({ ...base, challengeDone: true, judge: judge({ self_consistent: false }) })).halt).toBeNull();
  });

  it('keeps the last planned round and stops at max-rounds', () => {
    const d = decideRound(facts({ lastPlanned: true }));
    expect(d).toMatchObject({ keep: true, halt: 'max-rounds', flags: [] });
    expect(d.why).toBe('the planned rounds are used up');
  });

  it('otherwise continues: keep, no halt, the judge\'s reason as why', () => {
    const d = decideRound(facts());
    expect(d).toMatchObject({ keep: true, halt: null, flags: [] });
    expect(d.why).toBe('judge: adds the runway constraint');
  });

  it('round 1 (no judge) continues with why "first round"', () => {
    const d = decideRound(facts({ judge: null, keptInsights: [], keptStances: [] }));
    expect(d).toMatchObject({ keep: true, halt: null, flags: [], why: 'first round' });
  });

  it('checks in order: no insight before echo, echo before the judge, the judge before self-report', () => {
    const regress = judge({ verdict: 'regresses', reason: 'worse' });
    expect(decideRound(facts({ reply: reply({ new_insight: 'nothing new' }), judge: regress })).flags).toEqual([]);
    expect(decideRound(facts({ reply: reply({ new_insight: KEPT[0]! }), judge: regress })).flags).toEqual(['ECHO']);
    const both = decideRound(facts({ reply: reply({ convergence: 'negative-delta' }), judge: regress }));
    expect(both.flags).toEqual(['REGRESSION']);
  });
});
