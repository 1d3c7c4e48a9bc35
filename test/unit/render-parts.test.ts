import { describe, expect, it } from 'vitest';
import {
  assumptionsLine, oneLine, renderAnswer, renderDispatch, renderMerge, renderRound, renderSubagent, stanceTensions,
} from '../../src/core/coda/render-parts.js';
import { agentFooter, DIRECT_FOOTER, silentFooter, traceFooter } from '../../src/core/format/footers.js';
import { parseFooter } from '../../src/check/index.js';
import { footerLines, noteLines, renderTranscript } from '../../src/core/coda/render-transcript.js';
import { coda, merge, prelude, rounds, run, steps, subagent } from './records.js';

describe('footers', () => {
  it('direct, silent and agent footers are the spec strings', () => {
    expect(DIRECT_FOOTER).toBe('*Depth: 0 rounds. Mode: direct.*');
    expect(silentFooter(['Clarify', 'Deepen', 'Challenge', 'Synthesize']))
      .toBe('*Depth: 4 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge → Synthesize.*');
    expect(agentFooter(4)).toBe('*Depth: 4 parallel subagents merged. Mode: agent.*');
  });

  it('the trace footer says "converged" or "stopped" with its reason', () => {
    expect(traceFooter(3, { kind: 'converged', round: 3 })).toBe('*Depth: 3 rounds, converged at round 3. Mode: trace.*');
    expect(traceFooter(5, { kind: 'converged', round: 4 })).toBe('*Depth: 5 rounds, converged at round 4. Mode: trace.*');
    expect(traceFooter(6, { kind: 'stopped', round: 6, reason: 'max rounds reached' }))
      .toBe('*Depth: 6 rounds, stopped at round 6: max rounds reached. Mode: trace.*');
  });

  it('a count of one is singular, and the checker reads both forms', () => {
    const one = traceFooter(1, { kind: 'stopped', round: 1, reason: 'negative delta' });
    expect(one).toBe('*Depth: 1 round, stopped at round 1: negative delta. Mode: trace.*');
    expect(silentFooter(['Challenge'])).toBe('*Depth: 1 latent pass. Mode: silent. Lens path: Challenge.*');
    expect(agentFooter(1, false)).toBe('*Depth: 1 parallel subagent, not merged. Mode: agent.*');
    for (const footer of [one, silentFooter(['Challenge']), agentFooter(1, false), silentFooter(['Clarify', 'Deepen']), agentFooter(3)]) {
      expect(parseFooter(footer)?.depth).not.toBeNull();
    }
    expect(parseFooter(one)).toMatchObject({ depth: 1, unit: 'rounds', stop: { kind: 'stopped', round: 1, reason: 'negative delta' } });
  });

  it('the assumptions line joins with "; " and says when there are none', () => {
    expect(assumptionsLine(['a holds', 'b\nholds'])).toBe('*Load-bearing assumptions: a holds; b holds*');
    expect(assumptionsLine([])).toBe('*Load-bearing assumptions: none identified*');
  });

  it('renderAnswer puts the answer, a rule and the footer lines in order', () => {
    expect(renderAnswer('  Yes.\n\n', ['*x*', '*y*'])).toBe('## Answer\nYes.\n\n---\n*x*\n*y*');
  });
});

describe('round, subagent and merge blocks', () => {
  const [r1, r2] = rounds(
    { lens: 'Clarify', insight: 'First\nline split by the model.' },
    { lens: 'Deepen', application: 2, insight: 'Second insight here.', changed: 'What\n changed.' },
  );

  it('round 1 has no insight chain; labels stay on one line', () => {
    expect(renderRound(r1!, 1, [])).toBe(
      '### Round 1: Clarify\n**New insight:** First line split by the model.\n**What changed:** Round 1 moved the view.\n**Convergence:** evolving',
    );
  });

  it('round 2+ shows one R<n> entry per prior kept insight, joined with " → "', () => {
    const text = renderRound(r2!, 3, ['one', 'two\nlines']);
    expect(text.split('\n').slice(0, 3)).toEqual([
      '### Round 3: Deepen', '**Insight chain:** R1: one → R2: two lines', '**New insight:** Second insight here.',
    ]);
    expect(text).toContain('**What changed:** What changed.');
  });

  it('a discarded round shows why, never its insight, and whether its lens is spent or the block halted', () => {
    const [, echo, empty, bad] = rounds(
      { lens: 'Clarify', insight: 'Kept.' },
      { lens: 'Clarify', application: 2, insight: 'Kept, said again.', keep: false, flags: ['ECHO'], echoOf: 1, spent: true },
      { lens: 'Challenge', insight: 'No new insight.', keep: false, halt: 'converged:no-delta', convergence: 'stable' },
      { lens: 'Expand', insight: 'A made-up tension.', keep: false, halt: 'negative-delta' },
    );
    expect(renderRound(echo!, 2, ['Kept.'])).toBe([
      '### Round 2: Clarify', '**Insight chain:** R1: Kept.', '**New insight:** (discarded: repeats round 1)',
      '**What changed:** nothing kept; the rest of this lens is skipped', '**Convergence:** evolving',
    ].join('\n'));
    expect(renderRound(empty!, 3, ['Kept.', '(discarded: repeats round 1)'])).toContain(
      '**Insight chain:** R1: Kept. → R2: (discarded: repeats round 1)\n**New insight:** (discarded: no concrete insight)\n**What changed:** nothing kept; the block halted here\n**Convergence:** stable',
    );
    const negative = renderRound(bad!, 4, ['a', 'b', 'c']);
    expect(negative).toContain('**New insight:** (discarded: negative delta)\n**What changed:** nothing kept; the block halted here\n**Convergence:** negative-delta');
    expect(negative).not.toContain('made-up');
  });

  it('negative-delta shows only on the round that halted for it; an overruled self-label shows what became of the round', () => {
    const [, kept, dropped, halted] = rounds(
      { lens: 'Clarify', insight: 'Kept.' },
      { lens: 'Invert', insight: 'The judge found this one sound.', convergence: 'negative-delta' },
      { lens: 'Deepen', insight: 'Kept, said again.', convergence: 'negative-delta', keep: false, flags: ['ECHO'], echoOf: 1 },
      { lens: 'Expand', insight: 'A made-up tension.', convergence: 'evolving', keep: false, halt: 'negative-delta' },
    );
    expect(renderRound(kept!, 2, ['Kept.'])).toBe([
      '### Round 2: Invert', '**Insight chain:** R1: Kept.', '**New insight:** The judge found this one sound.',
      '**What changed:** Round 2 moved the view.', '**Convergence:** evolving',
    ].join('\n'));
    expect(renderRound(dropped!, 3, ['Kept.', 'The judge found this one sound.'])).toBe([
      '### Round 3: Deepen', '**Insight chain:** R1: Kept. → R2: The judge found this one sound.',
      '**New insight:** (discarded: repeats round 1)', '**What changed:** nothing kept', '**Convergence:** stable',
    ].join('\n'));
    expect(renderRound(halted!, 4, ['a', 'b', 'c'])).toBe([
      '### Round 4: Expand', '**Insight chain:** R1: a → R2: b → R3: c', '**New insight:** (discarded: negative delta)',
      '**What changed:** nothing kept; the block halted here', '**Convergence:** negative-delta',
    ].join('\n'));
  });

  it('dispatch line and subagent blocks', () => {
    const subs = [subagent('A', 'Clarify', 1, 'Finding A.'), subagent('B', 'Edge-Hunt', 1, null, { error: 'timed out' })];
    expect(renderDispatch(subs)).toBe('[Dispatching 2 parallel subagents: Clarify, Edge-Hunt]');
    expect(renderSubagent(subs[1]!)).toBe('### Subagent B — Edge-Hunt\n**Independent finding:** (failed: timed out)\n**Confidence:** low');
  });

  it('stance tensions need two distinct stances among the replies', () => {
    const same = [subagent('A', 'Clarify', 1, 'x'), subagent('B', 'Deepen', 1, 'y'), subagent('C', 'Invert', 1, null)];
    expect(stanceTensions(same)).toEqual([]);
  });

  it('stances worded alike are one stance, shown as first written', () => {
    const withStance = (letter: string, stance: string) => subagent(letter, 'Clarify', 1, 'x', { reply: { finding: 'x', confidence: 'high', stance } });
    expect(stanceTensions([withStance('A', 'use SQLite'), withStance('B', 'Use SQLite.'), withStance('C', 'ＵＳＥ ＳＱＬｉｔｅ')])).toEqual([]);
    expect(stanceTensions([withStance('A', 'Use SQLite.'), withStance('B', 'use SQLite'), withStance('C', 'Use PostgreSQL')]))
      .toEqual(['A, B: Use SQLite. vs C: Use PostgreSQL']);
  });

  it('an empty merge says "none" and "none surfaced"', () => {
    expect(renderMerge(merge({ synthesis: 'All agree.' }), [])).toBe(
      '### Merge\n**Convergent points:** none\n**Tensions:** none surfaced\n**Synthesis:** All agree.',
    );
  });

  it('a failed merge without visible tensions says so', () => {
    const subs = [subagent('A', 'Clarify', 1, 'x'), subagent('B', 'Deepen', 1, 'y')];
    expect(renderMerge(merge(null, null), subs)).toBe([
      '### Merge', '**Convergent points:** not merged (the merge call failed)',
      '**Tensions:** none visible in the findings alone', '**Synthesis:** not attempted; the findings above stand on their own.',
    ].join('\n'));
  });

  it('oneLine collapses newlines and trims', () => {
    expect(oneLine('  a\n\n  b \n c  ')).toBe('a b c');
  });
});

describe('notes after the footer', () => {
  const silentBase = {
    prelude: prelude('silent', 'score', 2, ['Ambiguity'], steps('Clarify', 'Deepen', 'Challenge', 'Synthesize')),
    rounds: rounds({ lens: 'Clarify', insight: 'One kept insight for the path.' }),
    answer: 'Yes.',
  };

  it('silent mode notes a stop that was not a convergence', () => {
    const record = run('silent', { ...silentBase, coda: coda('Yes.', []), stopReason: 'max-rounds' });
    expect(noteLines(record)).toEqual(['*Note: the planned rounds ran out before the reasoning converged.*']);
    expect(noteLines({ ...record, stopReason: 'converged:trivial-delta' })).toEqual([]);
  });

  it('notes a fallback, conflicting instructions and a failed cross-check', () => {
    const base = silentBase.prelude;
    const record = run('silent', {
      ...silentBase,
      prelude: { ...base, reply: { ...base.reply, conflicting_instructions: ['be brief vs cover everything'] } },
      fallback: 'agent mode got 1 of 4 subagent findings, so the lenses ran as a sequential block instead.',
      // The Coda's own claim decides nothing; only the separate cross-check does.
      coda: coda('Yes.', ['x'], { consistent_with_trajectory: true, inconsistencies: [] }),
      crossCheck: { reply: { consistent: false, departures: ['drops round 1'] }, skipped: null },
      stopReason: 'converged:self-consistent',
    });
    expect(footerLines(record)).toEqual([
      '*Depth: 1 latent pass. Mode: silent. Lens path: Clarify.*',
      '*Load-bearing assumptions: x*',
      '*Fallback: agent mode got 1 of 4 subagent findings, so the lenses ran as a sequential block instead.*',
      '*Conflicting instructions: be brief vs cover everything.*',
      '*Cross-check: the answer departs from the reasoning on: drops round 1.*',
    ]);
  });

  it('the Coda calling itself inconsistent adds no note; a cross-check that could not run does', () => {
    const selfGraded = run('silent', {
      ...silentBase, stopReason: 'converged:trivial-delta',
      coda: coda('Yes.', [], { consistent_with_trajectory: false, inconsistencies: ['drops round 1'] }),
      crossCheck: { reply: { consistent: true, departures: [] }, skipped: null },
    });
    expect(noteLines(selfGraded)).toEqual([]);
    const unpaid = { ...selfGraded, crossCheck: { reply: null, skipped: { reason: 'budget' as const, detail: 'the budget could not pay for it' } } };
    expect(noteLines(unpaid)).toEqual(['*Cross-check: not run; the budget could not pay for it.*']);
  });

  it('a re-Prelude that did not confirm the named driver says so', () => {
    const base = silentBase.prelude;
    const record = run('silent', {
      ...silentBase, coda: coda('Yes.', []), stopReason: 'converged:trivial-delta',
      rePrelude: { ...base, afterRound: 1, missedDriver: 'System dynamics', confirmed: false },
    });
    expect(noteLines(record)).toEqual([
      '*Re-Prelude after round 1: round 1 named driver System dynamics, which the re-diagnosis did not confirm; drivers Ambiguity; budget now Clarify ×1 → Deepen ×1 → Challenge ×1 → Synthesize ×1.*',
    ]);
    expect(noteLines({ ...record, rePrelude: { ...record.rePrelude!, confirmed: true } })[0]).toMatch(/^\*Re-Prelude after round 1: added driver System dynamics; budget now /);
  });

  it('trace and agent note a budget stop', () => {
    const record = run('agent', {
      prelude: prelude('agent', 'score', 4, ['Ambiguity'], steps('Clarify', ['Clarify', 2], 'Challenge')),
      subagents: [subagent('A', 'Clarify', 1, 'x'), subagent('B', 'Clarify', 2, 'y')],
      merge: merge({ synthesis: 's' }), coda: coda('Yes.', []), answer: 'Yes.', stopReason: 'budget',
    });
    expect(renderTranscript(record)).toContain(
      '*Depth: 2 parallel subagents merged. Mode: agent.*\n*Load-bearing assumptions: none identified*\n*Note: the cost or token budget was reached, so the block stopped early.*\n',
    );
  });
});

