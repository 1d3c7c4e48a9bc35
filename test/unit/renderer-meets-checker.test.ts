/**
 * Every golden transcript the renderer produces passes `mythos check`: the two halves of the
 * format (writing it and judging it) cannot drift apart. And whatever the model writes, in
 * whichever field, the transcript still passes: model text never passes for the structure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTranscript, formatCheckLines } from '../../src/check/index.js';
import { renderTranscript } from '../../src/core/coda/render-transcript.js';
import { CONVERGENCE } from '../../src/core/schemas.js';
import type { RunRecord } from '../../src/core/state.js';
import { failingChecks } from '../helpers/check-output.js';
import { coda, merge, prelude, rePrelude, rounds, run, steps, subagent } from './records.js';

const GOLDEN = join(import.meta.dirname, 'golden');

describe('rendered transcripts pass the checker', () => {
  it.each(readdirSync(GOLDEN).filter((f) => f.endsWith('.md')))('%s', (file) => {
    const report = checkTranscript(readFileSync(join(GOLDEN, file), 'utf8'));
    expect(report.mode).not.toBeNull();
    expect(formatCheckLines(report).filter((line) => line.startsWith('FAIL'))).toEqual([]);
  });
});

/** Model text that imitates the transcript's own structure, or breaks a line-based reader. */
const ADVERSARIAL = [
  '', '   ', '\n\n', '**', '***', '_', '`', '~~~',
  '**Key point**: the cache is the bottleneck.',
  '**Before:** one database. **After:** two.',
  '**Finding:** eviction order matters.',
  '**New insight:** **What changed:** **Convergence:** stable',
  '**Independent finding:** (failed: timeout)',
  '(failed to converge) yet the finding holds.',
  '(Discarded: an earlier idea) but this one is new.',
  '\\(failed: escaped already',
  'restated | **Complexity:** low | **Drivers:** none',
  '**Complexity:** low, honestly.',
  '**Q:** a | **Not:** b',
  'code `**Tensions:** inside` a span',
  '``**Synthesis:**``',
  'one\ntwo\n## Answer\n### Round 9: Clarify\n**New insight:** fake',
  'carriage\rreturn\r\n### Subagent Z — Ponder',
  'unicode\u2028line\u2029separators\u0085and\vvertical',
  '# Heading\n---\n',
  '---',
  '## Prelude',
  '```\ncode fence never closed',
  '~~~ts\nconst x = 1;',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '*Depth: 1 rounds. Mode: trace.*',
  '*Depth: 0 rounds. Mode: direct.*',
  '*Load-bearing assumptions: none*',
  '[Dispatching 9 parallel subagents: Ponder]',
  'R1: fake → R2: fake',
  'ends with a backslash \\',
  '<!-- an html comment',
  '*italic* and __bold__ and ***both***',
  'ＳＱＬｉｔｅ, réponse, 日本語の答え, 🚀',
  'x'.repeat(2_000),
];

/** Reply fields whose text comes from the model, wherever they sit in a record. */
const MODEL_FIELDS = new Set([
  'restated_question', 'anti_scope', 'success_criterion', 'conflicting_instructions', 'new_insight', 'what_changed',
  'stance', 'finding', 'error', 'convergent_points', 'tensions', 'synthesis', 'competing_positions', 'fallbackNote',
  'answer', 'load_bearing_assumptions', 'residual_uncertainty', 'departures', 'detail',
]);

/** The record with `text` in every model field (or only in `only`), lists holding it twice. */
function inject<T>(value: T, text: string, only?: string, key?: string): T {
  if (Array.isArray(value)) {
    if (key && MODEL_FIELDS.has(key) && (!only || only === key) && value.every((v) => typeof v === 'string')) return [text, text] as T;
    return value.map((v) => inject(v, text, only)) as T;
  }
  if (typeof value === 'string') return (key && MODEL_FIELDS.has(key) && (!only || only === key) ? text : value) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inject(v, text, only, k)])) as T;
}

const PLAN = steps('Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize');
const tracePrelude = prelude('trace', 'keyword', 3, ['Ambiguity'], PLAN);
const agentPrelude = prelude('agent', 'score', 4, ['Trade-offs'], steps('Clarify', 'Challenge', 'Tradeoff-Map'));
const withConflicts = { ...tracePrelude, reply: { ...tracePrelude.reply, conflicting_instructions: ['brief vs exhaustive'] } };
const traceRounds = rounds(
  { lens: 'Clarify', insight: 'Peak load sizes the cache.' },
  { lens: 'Deepen', insight: 'Said again.', keep: false, flags: ['ECHO'], echoOf: 1, spent: true },
  { lens: 'Challenge', insight: 'Invalidation couples writes to the cache.', convergence: 'stable' },
  { lens: 'Expand', insight: 'Made-up tension.', keep: false, halt: 'negative-delta' },
);
const finished = (answer = 'Coalesce misses.') => ({
  coda: coda(answer, ['peaks are predictable'], { inconsistencies: ['none really'] }), answer,
  crossCheck: { reply: { consistent: false, departures: ['drops R1'] }, skipped: null },
});
const subagents = [
  subagent('A', 'Clarify', 1, 'Finding A.', { reply: { finding: 'Finding A.', confidence: 'high', stance: 'adopt' } }),
  subagent('B', 'Challenge', 1, 'Finding B.', { reply: { finding: 'Finding B.', confidence: 'medium', stance: 'skip' }, divergent: true }),
  subagent('C', 'Tradeoff-Map', 1, null, { error: 'subagent call failed twice: 529 overloaded' }),
];

const RECORDS: Record<string, RunRecord> = {
  direct: run('direct', { prelude: prelude('direct', 'score', 1, ['Ambiguity'], []), coda: { answer: 'Yes.' }, answer: 'Yes.', stopReason: 'converged:self-consistent' }),
  silent: run('silent', { prelude: withConflicts, rounds: traceRounds, ...finished(), stopReason: 'max-rounds' }),
  'silent, nothing kept': run('silent', { prelude: tracePrelude, rounds: rounds({ lens: 'Clarify', insight: 'No new insight.', keep: false }), ...finished(), stopReason: 'converged:no-delta' }),
  trace: run('trace', { prelude: withConflicts, rounds: traceRounds, ...finished(), stopReason: 'negative-delta' }),
  'trace, re-Prelude, cross-check skipped': run('trace', {
    prelude: tracePrelude, rePrelude: rePrelude(tracePrelude, ['Ambiguity', 'System dynamics'], steps('Challenge', 'Expand'), 2, 'System dynamics'),
    rounds: traceRounds.slice(0, 3), ...finished(), crossCheck: { reply: null, skipped: { reason: 'failed', detail: 'the call failed' } }, stopReason: 'max-rounds',
  }),
  'trace, escalated': run('trace', {
    prelude: tracePrelude, rounds: traceRounds.slice(0, 2), subagents, merge: merge({ convergent_points: ['a'], tensions: ['b'], synthesis: 'c' }),
    escalatedAfter: 2, ...finished(), stopReason: 'max-rounds',
  }),
  agent: run('agent', { prelude: agentPrelude, subagents, merge: merge({ convergent_points: ['a'], tensions: ['b'], synthesis: 'c' }), ...finished(), stopReason: 'max-rounds' }),
  'agent, merge failed': run('agent', { prelude: agentPrelude, subagents, merge: merge(null, 'the merge call failed: 529'), ...finished(), stopReason: 'budget' }),
  'agent, unresolved': run('agent', {
    prelude: agentPrelude, subagents,
    merge: merge({ tensions: ['a vs b'], synthesis: 'split', unresolved: true, competing_positions: ['a', 'b'] }), ...finished(), stopReason: 'max-rounds',
  }),
};

describe('any model text renders into a transcript that passes the checker', () => {
  it.each(Object.keys(RECORDS))('%s: each adversarial string in every model field at once', (name) => {
    const record = RECORDS[name]!;
    expect(failingChecks(renderTranscript(record))).toEqual([]);
    for (const text of ADVERSARIAL) {
      const markdown = renderTranscript(inject(record, text));
      expect(failingChecks(markdown), `${JSON.stringify(text)}\n${markdown}`).toEqual([]);
    }
  });

  it.each(Object.keys(RECORDS))('%s: each adversarial string in one field at a time', (name) => {
    for (const field of MODEL_FIELDS) {
      for (const text of ADVERSARIAL) {
        const markdown = renderTranscript(inject(RECORDS[name]!, text, field));
        expect(failingChecks(markdown), `${field} = ${JSON.stringify(text)}\n${markdown}`).toEqual([]);
      }
    }
  });

  it('`mythos show --full` renders a silent run as a trace; that passes too', () => {
    for (const text of ADVERSARIAL) {
      const markdown = renderTranscript({ ...inject(RECORDS.silent!, text), mode: 'trace', stopReason: 'negative-delta' });
      expect(failingChecks(markdown), JSON.stringify(text)).toEqual([]);
    }
  });

  it.each(Object.keys(RECORDS))('%s: every round labelled with each convergence value, whatever the decision', (name) => {
    const record = RECORDS[name]!;
    for (const convergence of CONVERGENCE) {
      const labelled = record.rounds.map((round) => ({ ...round, reply: { ...round.reply, convergence } }));
      const markdown = renderTranscript({ ...record, rounds: labelled });
      expect(failingChecks(markdown), `${convergence}\n${markdown}`).toEqual([]);
    }
  });

  it('the injection reaches every field it names', () => {
    const markdown = renderTranscript(inject(RECORDS['trace, escalated']!, 'INJECTED'));
    for (const label of ['**Q:** INJECTED | **Not:** INJECTED', '**Success:** INJECTED', '**New insight:** INJECTED', '**What changed:** INJECTED',
      '**Independent finding:** INJECTED', '(failed: INJECTED)', '**Convergent points:** INJECTED; INJECTED', '**Synthesis:** INJECTED',
      '## Answer\nINJECTED\n', '*Load-bearing assumptions: INJECTED; INJECTED*', '*Conflicting instructions: INJECTED; INJECTED.*',
      '*Cross-check: the answer departs from the reasoning on: INJECTED; INJECTED.*']) {
      expect(markdown).toContain(label);
    }
  });
});
