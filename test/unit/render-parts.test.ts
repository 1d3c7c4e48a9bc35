import { describe, expect, it } from 'vitest';
import {
  agentFooter, assumptionsLine, DIRECT_FOOTER, oneLine, renderAnswer, renderDispatch, renderMerge, renderRound,
  renderSubagent, silentFooter, stanceTensions, traceFooter,
} from '../../src/core/coda/render-parts.js';
import { footerLines, noteLines, renderTranscript } from '../../src/core/coda/render-transcript.js';
import { coda, merge, prelude, rounds, run, steps, subagent } from './records.js';

describe('footers', () => {
  it('direct, silent and agent footers are the spec strings', () => {
    expect(DIRECT_FOOTER).toBe('*Depth: 0 rounds. Mode: direct.*');
    expect(silentFooter(['Clarify', 'Deepen', 'Challenge', 'Synthesize']))
      .toBe('*Depth: 4 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge → Synthesize.*');
    expect(agentFooter(4)).toBe('*Depth: 4 parallel subagents merged. Mode: agent.*');
  });

  it('the trace footer says "converged" only for a convergence stop', () => {
    expect(traceFooter(3, 3, 'converged:no-delta')).toBe('*Depth: 3 rounds, converged at round 3. Mode: trace.*');
    expect(traceFooter(5, 5, 'converged:trivial-delta')).toBe('*Depth: 5 rounds, converged at round 5. Mode: trace.*');
    expect(traceFooter(4, 4, 'converged:self-consistent')).toBe('*Depth: 4 rounds, converged at round 4. Mode: trace.*');
    expect(traceFooter(6, 6, 'max-rounds')).toBe('*Depth: 6 rounds, stopped at round 6: max rounds reached. Mode: trace.*');
    expect(traceFooter(4, 3, 'negative-delta')).toBe('*Depth: 4 rounds, stopped at round 4: negative delta. Mode: trace.*');
    expect(traceFooter(3, 3, 'oscillation')).toBe('*Depth: 3 rounds, stopped at round 3: oscillation. Mode: trace.*');
    expect(traceFooter(2, 2, 'budget')).toBe('*Depth: 2 rounds, stopped at round 2: budget reached. Mode: trace.*');
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

  it('dispatch line and subagent blocks', () => {
    const subs = [subagent('A', 'Clarify', 1, 'Finding A.'), subagent('B', 'Edge-Hunt', 1, null, { error: 'timed out' })];
    expect(renderDispatch(subs)).toBe('[Dispatching 2 parallel subagents: Clarify, Edge-Hunt]');
    expect(renderSubagent(subs[1]!)).toBe('### Subagent B — Edge-Hunt\n**Independent finding:** (failed: timed out)\n**Confidence:** low');
  });

  it('stance tensions need two distinct stances among the replies', () => {
    const same = [subagent('A', 'Clarify', 1, 'x'), subagent('B', 'Deepen', 1, 'y'), subagent('C', 'Invert', 1, null)];
    expect(stanceTensions(same)).toEqual([]);
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
      coda: coda('Yes.', ['x'], { consistent_with_trajectory: false, inconsistencies: ['drops round 1'] }),
      stopReason: 'converged:self-consistent',
    });
    expect(footerLines(record)).toEqual([
      '*Depth: 1 latent passes. Mode: silent. Lens path: Clarify.*',
      '*Load-bearing assumptions: x*',
      '*Fallback: agent mode got 1 of 4 subagent findings, so the lenses ran as a sequential block instead.*',
      '*Conflicting instructions: be brief vs cover everything.*',
      '*Cross-check: the answer departs from the reasoning on: drops round 1.*',
    ]);
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
