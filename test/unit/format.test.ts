/**
 * One format module: the renderer and `mythos check` read footers, stop phrases and the rotation
 * from the same place, and the rotation matches the one lenses.md gives the engine.
 */
import { describe, expect, it } from 'vitest';
import { EARLY_HALT_REASONS, ROTATION as CHECKED_ROTATION, STOP_REASONS } from '../../src/check/vocabulary.js';
import {
  agentFooter, EARLY_HALT_PHRASES, footerCount, silentFooter, STOP_PHRASES, TRACE_STOP_PHRASES, traceFooter,
} from '../../src/core/format/footers.js';
import { ROTATION } from '../../src/core/format/rotation.js';
import { loadReferences } from '../../src/core/prompts/reference-files.js';
import { parseFooter } from '../../src/check/index.js';
import { countProblem } from '../../src/check/parse-transcript.js';

describe('the format module', () => {
  it('is what the checker judges with', () => {
    expect(STOP_REASONS).toBe(TRACE_STOP_PHRASES);
    expect(EARLY_HALT_REASONS).toBe(EARLY_HALT_PHRASES);
    expect(CHECKED_ROTATION).toBe(ROTATION);
  });

  it('holds the rotation lenses.md gives the engine', () => {
    expect([...ROTATION]).toEqual(loadReferences().rotation);
  });

  it('every stop phrase the renderer writes parses back as that reason', () => {
    expect(TRACE_STOP_PHRASES).toEqual([
      'max rounds reached', 'negative delta', 'oscillation', 'budget reached', 'no concrete insight', 'escalated to agent mode',
    ]);
    for (const reason of [...Object.values(STOP_PHRASES), 'no concrete insight', 'escalated to agent mode']) {
      expect(parseFooter(traceFooter(3, { kind: 'stopped', round: 3, reason }))?.stop).toEqual({ kind: 'stopped', round: 3, reason });
    }
  });

  it('counts like English: one is singular, every other count plural', () => {
    expect([0, 1, 2].map((n) => footerCount(n, 'rounds'))).toEqual(['0 rounds', '1 round', '2 rounds']);
    expect([1, 3].map((n) => footerCount(n, 'latentPasses'))).toEqual(['1 latent pass', '3 latent passes']);
    expect([1, 4].map((n) => footerCount(n, 'subagents'))).toEqual(['1 parallel subagent', '4 parallel subagents']);
  });

  it('every footer the renderer builds reads back with its count in the right number', () => {
    for (const n of [1, 2, 5]) {
      const lenses = Array.from({ length: n }, () => 'Clarify');
      for (const footer of [traceFooter(n, { kind: 'converged', round: n }), silentFooter(lenses), agentFooter(n), agentFooter(n, false)]) {
        const parsed = parseFooter(footer);
        expect(parsed?.depth, footer).toBe(n);
        expect(countProblem(parsed), footer).toBeNull();
      }
    }
  });
});
