import { describe, expect, it } from 'vitest';
import { decideRound, isConcreteInsight, needsJudge, sameStance, swingsBack, type RoundFacts } from '../../src/core/recurrent/halting.js';
import { similarity } from '../../src/core/recurrent/similarity.js';
import type { JudgeReply, LensName, RoundReply } from '../../src/core/schemas.js';
import type { ChainEntry } from '../../src/core/state.js';

function entry(number: number, insight: string, stance: string, extra: Partial<ChainEntry> = {}): ChainEntry {
  return { number, lens: 'Clarify' as LensName, insight, stance, convergence: 'evolving', stanceChange: null, from: null, ...extra };
}

// Round 2 was discarded when it ran, so the kept rounds are numbered 1 and 3.
const KEPT = [
  entry(1, 'The question is about retention, not acquisition.', 'stay'),
  entry(3, 'Onboarding friction explains most of the retention drop.', 'stay and fix onboarding', { stanceChange: 'refines' }),
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
  return {
    verdict: 'advances', reason: 'adds the runway constraint', on_question: true, self_consistent: false,
    repeats_round: null, stance_change: 'same', returns_to_round: null, ...overrides,
  };
}

function facts(overrides: Partial<RoundFacts> = {}): RoundFacts {
  return { reply: reply(), judge: judge(), kept: KEPT, challengeDone: false, application: 1, lastPlanned: false, ...overrides };
}

describe('isConcreteInsight', () => {
  it('needs a real sentence, not a label, nothing, or the "no new insight" marker', () => {
    expect(isConcreteInsight('')).toBe(false);
    expect(isConcreteInsight('   ')).toBe(false);
    expect(isConcreteInsight('Trade-offs matter')).toBe(false);
    expect(isConcreteInsight('Rebuilding is risky.')).toBe(false);
    expect(isConcreteInsight('No new insight.')).toBe(false);
    expect(isConcreteInsight('No new insight: this lens only restates round 2.')).toBe(false);
    expect(isConcreteInsight('Runway rules out a rebuild.')).toBe(true);
  });

  it('accepts a one-sentence insight in Japanese, Chinese, German and Arabic', () => {
    expect(isConcreteInsight('キャッシュの一斉失効がデータベースへの殺到を引き起こす。')).toBe(true);
    expect(isConcreteInsight('缓存同时失效会导致数据库过载。')).toBe(true);
    expect(isConcreteInsight('Gleichzeitig ablaufende Schlüssel überlasten die Datenbank.')).toBe(true);
    expect(isConcreteInsight('انتهاء صلاحية المفاتيح معًا يضغط على قاعدة البيانات.')).toBe(true);
  });

  it('rejects a bare label in those languages', () => {
    expect(isConcreteInsight('トレードオフが重要')).toBe(false);
    expect(isConcreteInsight('المقايضات مهمة')).toBe(false);
    expect(isConcreteInsight('Kompromisse zählen')).toBe(false);
  });

  it('accepts three content words, as a short sentence in Russian, Korean, Finnish or Turkish has, but not two and a verb', () => {
    for (const text of ['Кэш защищает базу.', '캐시가 데이터베이스를 보호한다.', 'Välimuisti suojaa tietokantaa.', 'Önbellek veritabanını korur.', 'キャッシュがDBを守る。']) {
      expect(isConcreteInsight(text), text).toBe(true);
    }
    expect(isConcreteInsight('Rebuilding is risky.')).toBe(false);
  });

  it('leaves a decline written in another language to the judge, who spends the lens by calling it trivial', () => {
    const decline = reply({ new_insight: 'Es gibt keine neue Erkenntnis.' });
    expect(needsJudge(decline, KEPT)).toBe(true);
    const d = decideRound(facts({ reply: decline, judge: judge({ verdict: 'trivial', reason: 'it says there is nothing new' }) }));
    expect(d).toMatchObject({ keep: false, halt: null, spent: true });
    expect(d.why).toBe('judge: the round adds nothing of weight (it says there is nothing new); the lens is spent before Challenge has run, so the block moves on');
  });
});

describe('needsJudge: code decides first', () => {
  it('never asks the judge about a round code already discarded', () => {
    expect(needsJudge(reply({ new_insight: 'No new insight.' }), KEPT)).toBe(false);
    expect(needsJudge(reply({ new_insight: KEPT[1]!.insight }), KEPT)).toBe(false);
    expect(needsJudge(reply(), KEPT)).toBe(true);
  });

  it('judges round 1 too, whatever it calls itself', () => {
    expect(needsJudge(reply(), [])).toBe(true);
    expect(needsJudge(reply({ convergence: 'negative-delta' }), [])).toBe(true);
    expect(needsJudge(reply({ new_insight: 'No new insight.' }), [])).toBe(false);
  });
});

describe('decideRound: no concrete insight, or an echo', () => {
  const empty = reply({ new_insight: 'Retention, again' });
  // The same content words in the same order: plural, case and function words aside.
  const echo = reply({ new_insight: 'Onboarding frictions explain most of THE retention drop!' });

  it('before Challenge, the lens is spent and the block goes on: no halt', () => {
    const d = decideRound(facts({ reply: empty, judge: null }));
    expect(d).toMatchObject({ keep: false, halt: null, flags: [], spent: true });
    expect(d.why).toBe('the round produced no concrete one-sentence insight; the lens is spent before Challenge has run, so the block moves on');
    expect(decideRound(facts({ reply: echo, judge: null }))).toMatchObject({ keep: false, halt: null, flags: ['ECHO'], spent: true });
  });

  it('on a second application, the lens is spent even after Challenge', () => {
    const d = decideRound(facts({ reply: echo, judge: null, challengeDone: true, application: 2 }));
    expect(d).toMatchObject({ keep: false, halt: null, flags: ['ECHO'], spent: true, echo: { score: 1, of: 3 } });
    expect(d.why).toBe('the insight repeats round 3 in the same words; the lens is spent on its second application, so the block moves on');
  });

  it('after Challenge, on a first application, the block converges: converged:no-delta', () => {
    const d = decideRound(facts({ reply: empty, judge: null, challengeDone: true }));
    expect(d).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: [], spent: false });
    expect(d.why).toBe('the round produced no concrete one-sentence insight');
    const e = decideRound(facts({ reply: echo, judge: null, challengeDone: true }));
    expect(e).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { score: 1, of: 3 } });
    expect(e.why).toBe('the insight repeats round 3 in the same words');
  });

  it('reports the closest kept round by the number it ran as, even when the round is kept', () => {
    // {retention, acquisition, decide, whether, runway, suffice} vs round 1's {question, retention, acquisition}: 2·2 / 9
    const d = decideRound(facts({ reply: reply({ new_insight: 'Retention, not acquisition, decides whether runway suffices.' }) }));
    expect(d).toMatchObject({ keep: true, echo: { score: 0.444, of: 1 } });
    expect(decideRound(facts({ kept: [], judge: null })).echo).toEqual({ score: 0, of: null });
  });

  it('names a carried finding (R0) as such', () => {
    const carried = [entry(0, 'Onboarding friction explains most of the retention drop.', 'stay', { from: 'subagent C', convergence: null })];
    const d = decideRound(facts({ reply: echo, judge: null, kept: carried }));
    expect(d.echo.of).toBe(0);
    expect(d.why).toContain('repeats the carried finding (R0)');
  });
});

describe('decideRound: what word overlap may not decide', () => {
  it('leaves a reversal in the same words, or a negation in any language, to the judge', () => {
    const kept = [entry(1, 'Choose SQLite over PostgreSQL for this desktop app.', 'SQLite')];
    for (const [text, earlier] of [
      ['Choose PostgreSQL over SQLite for this desktop app.', kept],
      ['Кэш не нужен для этого сервиса.', [entry(1, 'Кэш нужен для этого сервиса.', 'нужен')]],
      ['Der Cache lohnt sich hier nicht.', [entry(1, 'Der Cache lohnt sich hier.', 'lohnt')]],
      ['这个服务不应该使用缓存。', [entry(1, '这个服务应该使用缓存。', '应该')]],
    ] as const) {
      expect(needsJudge(reply({ new_insight: text }), earlier), text).toBe(true);
      const d = decideRound(facts({ reply: reply({ new_insight: text }), kept: earlier, judge: judge({ stance_change: 'reverses' }) }));
      expect(d.flags, text).not.toContain('ECHO');
      expect(d.keep, text).toBe(true);
    }
  });
});

describe('decideRound: a repeat the judge names', () => {
  // A paraphrase that word overlap misses: Dice ≈ 0.31, well under the echo threshold.
  const paraphrase = reply({ new_insight: 'Retention falls because new users hit friction during setup.' });

  it('is discarded exactly like a lexical echo, and the evidence says the judge named it', () => {
    expect(similarity(paraphrase.new_insight, KEPT[1]!.insight)).toBeCloseTo(0.31, 2);
    const named = judge({ repeats_round: 3, reason: 'says R3 again in other words' });
    const d = decideRound(facts({ reply: paraphrase, judge: named, challengeDone: true }));
    expect(d).toMatchObject({ keep: false, halt: 'converged:no-delta', flags: ['ECHO'], echo: { of: 3 } });
    expect(d.why).toBe('the judge found it restates round 3 in other words (says R3 again in other words)');
    expect(decideRound(facts({ reply: paraphrase, judge: named }))).toMatchObject({ keep: false, halt: null, flags: ['ECHO'], spent: true });
  });

  it('is ignored when the judge names a round that was not kept', () => {
    const d = decideRound(facts({ reply: paraphrase, judge: judge({ repeats_round: 2 }) }));
    expect(d).toMatchObject({ keep: true, flags: [] });
  });
});

describe('decideRound: the judge decides, the round never grades itself', () => {
  it('discards on a verdict of regresses: REGRESSION + negative-delta, quoting the judge', () => {
    const d = decideRound(facts({ judge: judge({ verdict: 'regresses', reason: 'contradicts round 3 without evidence' }) }));
    expect(d).toMatchObject({ keep: false, halt: 'negative-delta', flags: ['REGRESSION'] });
    expect(d.why).toBe('judge: contradicts round 3 without evidence');
  });

  it('keeps a round that calls itself negative delta when the judge finds it advances', () => {
    const d = decideRound(facts({ reply: reply({ convergence: 'negative-delta' }) }));
    expect(d).toMatchObject({ keep: true, halt: null, flags: [] });
  });

  it('round 1 that calls itself negative delta follows the judge either way', () => {
    const self = reply({ convergence: 'negative-delta' });
    expect(decideRound(facts({ kept: [], reply: self, judge: judge({ verdict: 'regresses', reason: 'ungrounded' }) })))
      .toMatchObject({ keep: false, halt: 'negative-delta', flags: ['REGRESSION'] });
    expect(decideRound(facts({ kept: [], reply: self, judge: judge() }))).toMatchObject({ keep: true, halt: null });
  });

  it('discards a drifting round (on_question=false) with DRIFT and keeps going; the last planned one ends at max-rounds', () => {
    const d = decideRound(facts({ judge: judge({ on_question: false, reason: 'talks about hiring instead' }) }));
    expect(d).toMatchObject({ keep: false, halt: null, flags: ['DRIFT'] });
    expect(d.why).toBe('judge: the round drifted off the question (talks about hiring instead)');
    expect(decideRound(facts({ judge: judge({ on_question: false }), lastPlanned: true }))).toMatchObject({ halt: 'max-rounds', flags: ['DRIFT'] });
  });

  it('convergence of any kind needs Challenge: trivial and self-consistent keep going before it', () => {
    expect(decideRound(facts({ judge: judge({ verdict: 'trivial' }) })).halt).toBeNull();
    const stableConsistent = { reply: reply({ convergence: 'stable' }), judge: judge({ self_consistent: true }) } as const;
    expect(decideRound(facts({ ...stableConsistent })).halt).toBeNull();
    expect(decideRound(facts({ ...stableConsistent, challengeDone: true })))
      .toMatchObject({ keep: true, halt: 'converged:self-consistent', why: 'stable, and the judge found the chain self-consistent' });
    expect(decideRound(facts({ challengeDone: true, judge: judge({ verdict: 'trivial', reason: 'restates the runway limit' }) })))
      .toMatchObject({ keep: true, halt: 'converged:trivial-delta', why: 'judge: restates the runway limit' });
  });

  it('self-consistent needs the round stable too: its own word can only hold a stop back', () => {
    expect(decideRound(facts({ challengeDone: true, judge: judge({ self_consistent: true }) })).halt).toBeNull();
  });

  it('keeps the last planned round at max-rounds; otherwise continues with the judge\'s reason', () => {
    expect(decideRound(facts({ lastPlanned: true }))).toMatchObject({ keep: true, halt: 'max-rounds', why: 'the planned rounds are used up' });
    expect(decideRound(facts())).toMatchObject({ keep: true, halt: null, flags: [], why: 'judge: adds the runway constraint' });
    expect(decideRound(facts({ judge: null, kept: [] }))).toMatchObject({ keep: true, halt: null, why: 'first round' });
  });

  it('checks in order: no insight, then the echo, then the judge', () => {
    const regress = judge({ verdict: 'regresses', reason: 'worse' });
    expect(decideRound(facts({ reply: reply({ new_insight: 'nothing new' }), judge: regress })).flags).toEqual([]);
    expect(decideRound(facts({ reply: reply({ new_insight: KEPT[0]!.insight }), judge: regress })).flags).toEqual(['ECHO']);
  });
});

describe('oscillation, as the judge reports it', () => {
  const pivot = entry(1, 'Enterprise buyers value the reporting features most.', 'pivot to enterprise');
  const stayReversed = entry(2, 'Consumer retention recovers once onboarding is fixed.', 'stay with consumers', { stanceChange: 'reverses' });
  const stayRefined = entry(2, 'Enterprise pilots need a reporting add-on first.', 'pivot to enterprise, reporting first', { stanceChange: 'refines' });
  const back = reply({ new_insight: 'Enterprise contracts cover the runway gap within one quarter.', stance: 'pivot to enterprise' });

  it('A → B → A: B reversed A and the candidate reverses B back to A', () => {
    const swing = judge({ stance_change: 'reverses', returns_to_round: 1 });
    expect(swingsBack(swing, back.stance, [pivot, stayReversed])).toBe(1);
    const d = decideRound(facts({ reply: back, judge: swing, kept: [pivot, stayReversed] }));
    expect(d).toMatchObject({ keep: true, halt: 'oscillation', flags: ['OSCILLATION'] });
    expect(d.why).toBe("the judge found the conclusion swings back to round 1's after round 2 reversed it");
  });

  it('a refinement followed by a restatement is not an oscillation', () => {
    const restated = judge({ stance_change: 'reverses', returns_to_round: 1 });
    expect(swingsBack(restated, back.stance, [pivot, stayRefined])).toBeNull();
    expect(decideRound(facts({ reply: back, judge: judge({ stance_change: 'same' }), kept: [pivot, stayRefined] })))
      .toMatchObject({ keep: true, halt: null, flags: [] });
  });

  it('needs the judge to name the earlier round, and a stance worded like B\'s is no reversal of B', () => {
    expect(swingsBack(judge({ stance_change: 'reverses', returns_to_round: null }), back.stance, [pivot, stayReversed])).toBeNull();
    expect(swingsBack(judge({ stance_change: 'reverses', returns_to_round: 2 }), back.stance, [pivot, stayReversed])).toBeNull();
    expect(swingsBack(judge({ stance_change: 'reverses', returns_to_round: 1 }), 'Stay with consumers.', [pivot, stayReversed])).toBeNull();
    expect(sameStance('stay with consumers', 'Stay with the consumers')).toBe(true);
  });

  it('word overlap alone never calls an oscillation', () => {
    expect(decideRound(facts({ reply: back, judge: judge({ stance_change: 'refines' }), kept: [pivot, stayReversed] })).halt).toBeNull();
  });
});
