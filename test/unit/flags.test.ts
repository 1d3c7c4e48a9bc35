/**
 * Run flags come from the record alone, so an old log read back is judged by today's rules.
 */
import { describe, expect, it } from 'vitest';
import { runFlags } from '../../src/core/flags.js';
import { coda, prelude, rounds, run, steps } from './records.js';

const plan = steps('Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize');

describe('runFlags', () => {
  it('flags any convergence before a Challenge round ran as a premature stop (an old log)', () => {
    const record = run('trace', {
      prelude: prelude('trace', 'keyword', 2, ['Ambiguity'], plan),
      rounds: rounds(
        { lens: 'Clarify', insight: 'One.' },
        { lens: 'Deepen', insight: 'Two.', halt: 'converged:trivial-delta' },
      ),
      stopReason: 'converged:trivial-delta', coda: coda('Yes.', []), answer: 'Yes.',
    });
    expect(runFlags(record)).toEqual([
      { flag: 'PREMATURE_STOP', evidence: 'the block stopped as converged:trivial-delta before any Challenge round ran' },
    ]);
  });

  it('a convergence after Challenge is no premature stop, unless complexity 4+ kept one round', () => {
    const afterChallenge = rounds(
      { lens: 'Clarify', insight: 'One.' }, { lens: 'Deepen', insight: 'Two.' },
      { lens: 'Challenge', insight: 'Three.', halt: 'converged:self-consistent' },
    );
    const record = run('silent', {
      prelude: prelude('silent', 'score', 3, ['Ambiguity'], plan), rounds: afterChallenge, stopReason: 'converged:self-consistent',
    });
    expect(runFlags(record)).toEqual([]);
    const lone = rounds(
      { lens: 'Clarify', insight: 'One.' }, { lens: 'Deepen', insight: 'x', keep: false, spent: true },
      { lens: 'Challenge', insight: 'y', keep: false, halt: 'converged:no-delta' },
    );
    const complex = run('trace', { prelude: prelude('trace', 'keyword', 4, ['Ambiguity'], plan), rounds: lone, stopReason: 'converged:no-delta' });
    expect(runFlags(complex)).toEqual([{ flag: 'PREMATURE_STOP', evidence: 'complexity 4 but the block converged after one round' }]);
  });

  it('takes CODA_INCONSISTENT from the cross-check only, never from the Coda about itself', () => {
    const base = { prelude: prelude('silent', 'score', 2, ['Ambiguity'], plan), stopReason: 'max-rounds' as const };
    const selfDoubt = run('silent', { ...base, coda: coda('Yes.', [], { consistent_with_trajectory: false, inconsistencies: ['drops R1'] }) });
    expect(runFlags(selfDoubt)).toEqual([]);
    const checked = run('silent', { ...base, crossCheck: { reply: { consistent: false, departures: ['drops R1'] }, skipped: null } });
    expect(runFlags(checked)).toEqual([{ flag: 'CODA_INCONSISTENT', evidence: 'drops R1' }]);
  });

  it('a direct run skips the block and is never a premature stop', () => {
    const record = run('direct', { prelude: prelude('direct', 'score', 1, ['Ambiguity'], []), stopReason: 'converged:self-consistent' });
    expect(runFlags(record)).toEqual([]);
  });
});
