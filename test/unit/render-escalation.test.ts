/**
 * A run escalated by its re-Prelude: the rounds so far, the re-Prelude, then the parallel
 * subagents and their merge; the footer says why the block stopped, and the checker accepts it.
 */
import { describe, expect, it } from 'vitest';
import { checkTranscript, formatCheckLines } from '../../src/check/index.js';
import { renderTranscript } from '../../src/core/coda/render-transcript.js';
import { coda, merge, prelude, rePrelude, rounds, run, steps, subagent } from './records.js';

const base = prelude('trace', 'score', 3, ['Ambiguity'], steps('Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize'));
const escalated = rePrelude(base, ['Ambiguity', 'System dynamics'], steps('Challenge', ['System-Think', 1], ['System-Think', 2], 'Edge-Hunt'), 2, 'System dynamics');

function escalatedRun(mode: 'trace' | 'silent') {
  return run(mode, {
    prelude: { ...base, routing: { ...base.routing, mode } },
    rePrelude: { ...escalated, routing: { ...escalated.routing, mode, score: 4 } },
    rounds: rounds({ lens: 'Clarify', insight: 'Peak load, not steady load, sizes the cache.' }, { lens: 'Deepen', insight: 'Invalidation couples every write path to the cache.', missed: 'System dynamics' }),
    subagents: [
      subagent('A', 'Challenge', 1, 'The premise that all reads are cacheable fails for personalised pages.'),
      subagent('B', 'System-Think', 1, 'Feedback: misses raise load, which raises misses.'),
      subagent('C', 'System-Think', 2, 'Coalescing breaks the loop.'),
      subagent('D', 'Edge-Hunt', 1, 'Expiry storms at midnight.'),
    ],
    merge: merge({ convergent_points: ['misses feed load'], tensions: ['freshness vs load'], synthesis: 'Coalesce and jitter expiry.' }),
    escalatedAfter: 2,
    coda: coda('Coalesce misses and jitter expiry times.', ['traffic peaks are predictable']),
    answer: 'Coalesce misses and jitter expiry times.',
    stopReason: 'max-rounds',
    stopDetail: 'escalated to agent mode after round 2',
  });
}

describe('escalation after a re-Prelude', () => {
  it('trace: rounds, re-Prelude, subagents and merge, with an honest footer the checker accepts', () => {
    const text = renderTranscript(escalatedRun('trace'));
    expect(text).toContain('### Round 2: Deepen\n');
    expect(text).toContain('## Prelude (re-Prelude after Round 2)\n');
    expect(text.indexOf('[Dispatching 4 parallel subagents: Challenge, System-Think, System-Think, Edge-Hunt]')).toBeGreaterThan(text.indexOf('re-Prelude after Round 2'));
    expect(text).toContain('### Merge\n**Convergent points:** misses feed load\n**Tensions:** freshness vs load\n');
    expect(text).toContain('\n*Depth: 2 rounds, stopped at round 2: escalated to agent mode. Mode: trace.*\n');
    expect(text).toContain('\n*Escalated to agent mode after round 2: 4 parallel subagents, merged.*\n');
    expect(formatCheckLines(checkTranscript(text)).filter((l) => l.startsWith('FAIL'))).toEqual([]);
  });

  it('silent: only the answer, the lens path of the rounds, and the escalation note', () => {
    const text = renderTranscript(escalatedRun('silent'));
    expect(text).not.toContain('### Subagent');
    expect(text).toContain('*Depth: 2 latent passes. Mode: silent. Lens path: Clarify → Deepen.*');
    // The remaining lenses were handed on, not run out.
    expect(text).not.toContain('ran out');
    expect(formatCheckLines(checkTranscript(text)).filter((l) => l.startsWith('FAIL'))).toEqual([]);
  });

  it('says how many subagents the merge had when some failed', () => {
    const base = escalatedRun('trace');
    const text = renderTranscript({ ...base, subagents: [...base.subagents.slice(0, 3), subagent('D', 'Edge-Hunt', 1, null)] });
    expect(text).toContain('\n*Escalated to agent mode after round 2: 4 parallel subagents, 3 merged.*\n');
    expect(renderTranscript({ ...base, merge: { reply: null, fallbackNote: 'the merge call failed' } })).toContain('4 parallel subagents, not merged.*');
  });
});
