import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { applyEvent, replayEvents } from '../../src/core/record-reducer.js';
import type { CallRecord, RunRecord } from '../../src/core/state.js';
import { coda, merge, prelude, rePrelude, rounds, run, steps, subagent } from './records.js';

const call = (step: CallRecord['step'], label: string, n: number): CallRecord => ({
  step, label, requestHash: `hash-${n}`, usage: { input: 100 * n, output: 10 * n, cacheRead: 0, cacheWrite: 0 },
  latencyMs: 5, attempts: 1, replayed: false, startedAt: n, endedAt: n + 1,
});

const start: RunEvent = {
  type: 'run.start', runId: 'run-test-0001', question: 'Should we adopt Conventional Commits?', model: 'claude-sonnet-4-5', options: {},
};

describe('replayEvents: a trace run with a re-Prelude', () => {
  const p = prelude('trace', 'keyword', 3, ['Ambiguity'], steps(['Clarify', 1], ['Clarify', 2], 'Deepen', 'Challenge'));
  const re = rePrelude(p, ['Ambiguity', 'Multi-hop'], steps('Clarify', 'Deepen', ['Deepen', 2], 'Challenge'), 1, 'Multi-hop');
  const [r1, r2, r3] = rounds(
    { lens: 'Clarify', insight: 'It is about release notes, not review.', missed: 'Multi-hop' },
    { lens: 'Deepen', insight: 'Changelogs need every commit formatted.' },
    { lens: 'Deepen', application: 2, insight: 'Changelogs need every commit formatted!', keep: false, halt: 'converged:no-delta', flags: ['ECHO'] },
  );
  const c = coda('Adopt it.', ['squash merges']);
  const events: RunEvent[] = [
    start,
    { type: 'stage', stage: 'prelude', label: 'Prelude' },
    { type: 'call.start', step: 'prelude', label: 'Prelude', requestHash: 'hash-1' },
    { type: 'call', call: call('prelude', 'Prelude', 1), value: {} },
    { type: 'prelude', prelude: p },
    { type: 'round', round: r1! },
    { type: 're-prelude', rePrelude: re },
    { type: 'round', round: r2! },
    { type: 'round.skipped', skipped: { lens: 'Clarify', application: 2, why: 'the first application already reached stable' } },
    { type: 'round', round: r3! },
    { type: 'flag', flag: 'ECHO', round: 3, evidence: 'the insight repeats round 2 (similarity 1)' },
    { type: 'stop', reason: 'converged:no-delta', detail: 'the insight repeats round 2 (similarity 1)' },
    { type: 'call', call: call('coda', 'Coda', 2), value: {} },
    { type: 'coda', coda: c, markdown: '## Answer\nAdopt it.' },
  ];
  const expected: RunRecord = run('trace', {
    prelude: p, rePrelude: re, rounds: [r1!, r2!, r3!],
    skipped: [{ lens: 'Clarify', application: 2, why: 'the first application already reached stable' }],
    coda: c, answer: 'Adopt it.', stopReason: 'converged:no-delta', stopDetail: 'the insight repeats round 2 (similarity 1)',
    flags: [{ flag: 'ECHO', round: 3, evidence: 'the insight repeats round 2 (similarity 1)' }],
    calls: [call('prelude', 'Prelude', 1), call('coda', 'Coda', 2)],
  });

  it('reproduces the record from the events (no run.end needed)', () => {
    expect(replayEvents(events)).toEqual(expected);
  });

  it('takes the mode from the Prelude routing', () => {
    expect(replayEvents(events.slice(0, 5))?.mode).toBe('trace');
    expect(replayEvents(events.slice(0, 4))?.mode).toBe('silent');
  });

  it('a run.end record replaces what was rebuilt, as a copy', () => {
    const final = { ...expected, flags: [] };
    const end: RunEvent = { type: 'run.end', mode: 'trace', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0, record: final };
    const replayed = replayEvents([...events, end]);
    expect(replayed).toEqual(final);
    expect(replayed).not.toBe(final);
  });

  it('ignores everything before run.start', () => {
    expect(replayEvents([{ type: 'prelude', prelude: p }])).toBeNull();
    expect(applyEvent(null, { type: 'stop', reason: 'error', detail: 'x' })).toBeNull();
  });
});

describe('replayEvents: an agent run', () => {
  const p = prelude('agent', 'score', 4, ['Hidden assumptions'], steps('Challenge', 'Steelman', ['Steelman', 2]));
  const A = subagent('A', 'Challenge', 1, 'Finding A.');
  const B = subagent('B', 'Steelman', 1, 'Finding B.');
  const C = subagent('C', 'Steelman', 2, null);
  const m = merge({ synthesis: 'Adopt.', divergent_subagents: ['B', 'C'] });

  it('orders subagents by letter, whatever order they finish in, and marks divergence at the merge', () => {
    const replayed = replayEvents([
      start,
      { type: 'prelude', prelude: p },
      { type: 'dispatch', lenses: ['Challenge', 'Steelman', 'Steelman'] },
      { type: 'flag', flag: 'SUBAGENT_FAILED', subagent: 'C', evidence: C.error! },
      { type: 'subagent', subagent: structuredClone(C) },
      { type: 'subagent', subagent: structuredClone(A) },
      { type: 'subagent', subagent: structuredClone(B) },
      { type: 'merge', merge: m },
      { type: 'stop', reason: 'max-rounds', detail: '2 of 3 subagents merged' },
    ]);
    expect(replayed).toEqual(run('agent', {
      prelude: p,
      // C failed, so it cannot be divergent even though the merge named it.
      subagents: [A, { ...B, divergent: true }, C],
      merge: m, stopReason: 'max-rounds', stopDetail: '2 of 3 subagents merged',
      flags: [{ flag: 'SUBAGENT_FAILED', subagent: 'C', evidence: C.error! }],
    }));
  });

  it('a fallback switches the record to the sequential prelude and silent mode', () => {
    const silent = { ...p, routing: { ...p.routing, mode: 'silent' as const }, plan: steps('Clarify', 'Challenge', 'Synthesize') };
    const replayed = replayEvents([
      start, { type: 'prelude', prelude: p }, { type: 'subagent', subagent: A },
      { type: 'fallback', note: 'agent mode got 1 of 3 subagent findings', prelude: silent },
    ]);
    expect(replayed?.mode).toBe('silent');
    expect(replayed?.prelude).toBe(silent);
    expect(replayed?.fallback).toBe('agent mode got 1 of 3 subagent findings');
    expect(replayed?.subagents).toEqual([A]);
  });

  it('a later event for the same letter replaces the earlier one', () => {
    const retried = { ...A, attempts: 2 };
    const replayed = replayEvents([start, { type: 'subagent', subagent: A }, { type: 'subagent', subagent: retried }]);
    expect(replayed?.subagents).toEqual([retried]);
  });
});
