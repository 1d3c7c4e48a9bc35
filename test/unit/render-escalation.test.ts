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

  it('silent: only the answer, the lens path of the rounds, and the escalation note; no note that the rounds ran out', () => {
    const text = renderTranscript(escalatedRun('silent'));
    expect(text).not.toContain('### Subagent');
    expect(text).toBe(['## Answer',
      'Coalesce misses and jitter expiry times.', '', '---',
      '*Depth: 2 latent passes. Mode: silent. Lens path: Clarify → Deepen.*',
      '*Load-bearing assumptions: traffic peaks are predictable*',
      '*Re-Prelude after round 2: added driver System dynamics; budget now Challenge ×1 → System-Think ×2 → Edge-Hunt ×1.*',
      '*Escalated to agent mode after round 2: 4 parallel subagents, merged.*', '',
    ].join('\n'));
    expect(formatCheckLines(checkTranscript(text)).filter((l) => l.startsWith('FAIL'))).toEqual([]);
  });

  it('the escalation note counts the findings merged when some subagents failed, and says not merged when no merge came back', () => {
    const failing = (run: ReturnType<typeof escalatedRun>, letters: string[]) => ({
      ...run, subagents: run.subagents.map((s) => (letters.includes(s.letter) ? { ...s, reply: null, error: 'timed out' } : s)),
    });
    const note = (text: string) => text.split('\n').find((line) => line.startsWith('*Escalated'));
    for (const mode of ['trace', 'silent'] as const) {
      const oneFailed = renderTranscript(failing(escalatedRun(mode), ['D']));
      expect(note(oneFailed)).toBe('*Escalated to agent mode after round 2: 4 parallel subagents, 3 merged.*');
      expect(formatCheckLines(checkTranscript(oneFailed)).filter((l) => l.startsWith('FAIL'))).toEqual([]);
      const noMerge = renderTranscript({ ...failing(escalatedRun(mode), ['B', 'C', 'D']), merge: null });
      expect(note(noMerge)).toBe('*Escalated to agent mode after round 2: 4 parallel subagents, not merged.*');
      expect(formatCheckLines(checkTranscript(noMerge)).filter((l) => l.startsWith('FAIL'))).toEqual([]);
    }
  });
});
