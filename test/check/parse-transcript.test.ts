import { describe, expect, it } from 'vitest';
import { lensSequence, parseFooter, parseTranscript } from '../../src/check/index.js';
import { fixture } from './helpers.js';

describe('parseFooter', () => {
  it('reads each mode footer', () => {
    expect(parseFooter('*Depth: 0 rounds. Mode: direct.*')).toMatchObject({ mode: 'direct', depth: 0, unit: 'rounds', stop: null, lensPath: null });
    expect(parseFooter('*Depth: 3 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge.*')).toMatchObject({
      mode: 'silent', depth: 3, unit: 'latent-passes', lensPath: ['Clarify', 'Deepen', 'Challenge'],
    });
    expect(parseFooter('*Depth: 4 rounds, converged at round 3. Mode: trace.*')).toMatchObject({
      depth: 4, unit: 'rounds', stop: { kind: 'converged', round: 3, reason: null },
    });
    expect(parseFooter('*Depth: 5 rounds, stopped at round 5: max rounds reached. Mode: trace.*')).toMatchObject({
      stop: { kind: 'stopped', round: 5, reason: 'max rounds reached' },
    });
    expect(parseFooter('*Depth: 4 parallel subagents merged. Mode: agent.*')).toMatchObject({ depth: 4, unit: 'parallel-subagents' });
  });

  it('expands ×n in a lens path, accepts -> and canonicalises lens names', () => {
    expect(parseFooter('*Depth: 4 latent passes. Mode: silent. Lens path: clarify ×2 -> System Think -> Synthesize.*')?.lensPath)
      .toEqual(['Clarify', 'Clarify', 'System-Think', 'Synthesize']);
  });

  it('keeps an unrecognised depth as text and ignores non-footers', () => {
    expect(parseFooter('*Depth: lots. Mode: trace.*')).toMatchObject({ depthText: 'lots', depth: null, unit: null });
    expect(parseFooter('Depth is what matters.')).toBeNull();
  });
});

describe('parseTranscript', () => {
  it('reads a trace: Prelude fields, rounds, chains, footer, notes', () => {
    const t = parseTranscript(fixture('trace-pass.md'));
    expect(t.preludes).toHaveLength(1);
    expect(t.preludes[0]?.fields).toMatchObject({ q: expect.stringContaining('tenfold'), not: 'tooling vendor choice', drivers: 'Hidden assumptions' });
    expect(t.rounds.map((r) => [r.number, r.lens])).toEqual([[1, 'Clarify'], [2, 'Deepen'], [3, 'Challenge'], [4, 'Synthesize']]);
    // Bracketed one-line, bulleted multi-line and `R2 (Deepen):` chains all count.
    expect(t.rounds.map((r) => r.chain)).toEqual([null, [1], [1, 2], [1, 2, 3]]);
    expect(t.loadBearing).toBe('defects escape mainly through large changes');
    expect(t.notes).toEqual(['Note: the Prelude budget was followed exactly.']);
    expect(t.answer).toEqual({ present: true, text: 'Shrink changes before adding reviewers.\n\n### Why\nLarge diffs hide defects.' });
  });

  it('ignores text before the first heading and protocol-looking headings inside the Answer', () => {
    const t = parseTranscript(`Sure, here you go.\n**Q:** stray\n\n## Answer\n### Round 9: Clarify\n**New insight:** not a round\n\n---\n*Depth: 0 rounds. Mode: direct.*\n`);
    expect(t.rounds).toEqual([]);
    expect(t.preludes).toEqual([]);
    expect(t.answer.text).toContain('Round 9');
  });

  it('accepts `**Label**:`, `Round N — Lens`, `Round N - Lens` and re-Prelude headings', () => {
    const t = parseTranscript(fixture('trace-stopped-pass.md'));
    expect(t.preludes.map((p) => [p.reAfter, p.roundsBefore])).toEqual([[null, 0], [2, 2]]);
    expect(t.preludes[0]?.fields['success']).toBe('a decision rule the founders can apply this week');
    expect(t.rounds.map((r) => r.lens)).toEqual(['Clarify', 'Deepen', 'Challenge', 'Tradeoff-Map']);
    expect(t.notes).toEqual(['Re-Prelude after round 2: added driver Hidden assumptions.']);
    const dash = parseTranscript('### Round 1 - clarify (first application)\n**New insight:** x\n');
    expect(dash.rounds[0]).toMatchObject({ number: 1, lens: 'Clarify', lensKnown: true });
  });

  it('reads agent dispatch, subagents (— or -, with a stance) and merge', () => {
    const t = parseTranscript(fixture('agent-pass.md'));
    expect(t.dispatch).toEqual({
      line: '[Dispatching 4 parallel subagents: Steelman, Steelman, Tradeoff-Map, Challenge]',
      count: 4,
      lenses: ['Steelman', 'Steelman', 'Tradeoff-Map', 'Challenge'],
    });
    expect(t.subagents.map((s) => [s.letter, s.lens, s.fields['confidence']])).toEqual([
      ['A', 'Steelman', 'medium'], ['B', 'Steelman', 'medium'], ['C', 'Tradeoff-Map', 'high'], ['D', 'Challenge', 'low (divergent)'],
    ]);
    expect(t.merge?.fields['tensions']).toBe('Whether learning from a work is more like reading or copying.');
    // The Prelude's last field does not swallow the dispatch line.
    expect(t.preludes[0]?.fields['success']).toBe("both sides' strongest case stated, tension preserved");
  });

  it('reads CRLF, a BOM and trailing spaces the same as LF', () => {
    const lf = fixture('silent-pass.md');
    const messy = `\uFEFF${lf.replace(/\n/g, '  \r\n')}`;
    expect(parseTranscript(messy)).toEqual(parseTranscript(lf));
  });

  it('reads a Claude Code export: `⏺ ` bullet and indented reply', () => {
    const lf = fixture('trace-pass.md');
    const exported = `> /mythos trace What would make our code review process 10x more effective?\n\n⏺ ${lf.split('\n').join('\n  ')}`;
    expect(parseTranscript(exported)).toEqual(parseTranscript(lf));
  });

  it('a later label on a line counts only after " | ", and never inside backticks', () => {
    const t = parseTranscript([
      '## Prelude',
      '**Q:** which store | **Not:** hosting',
      '**Success:** see `| **Complexity:** low` here | **Drivers:** Ambiguity',
      '### Round 1: Clarify',
      '**New insight:** **Key point**: the cache is the bottleneck.',
      '**What changed:** **Before:** one store. **After:** two.',
      '### Subagent A — Clarify',
      '**Independent finding:** **Finding:** eviction order matters.',
    ].join('\n'));
    expect(t.preludes[0]?.fields).toEqual({ q: 'which store', not: 'hosting', success: 'see `| **Complexity:** low` here', drivers: 'Ambiguity' });
    expect(t.rounds[0]?.fields).toEqual({
      'new insight': '**Key point**: the cache is the bottleneck.', 'what changed': '**Before:** one store. **After:** two.',
    });
    expect(t.subagents[0]?.fields).toEqual({ 'independent finding': '**Finding:** eviction order matters.' });
  });

  it('sets apart one rule before the footer; an answer that is itself a rule keeps it', () => {
    expect(parseTranscript('## Answer\nYes.\n\n---\n\n*Depth: 0 rounds. Mode: direct.*\n').answer.text).toBe('Yes.');
    expect(parseTranscript('## Answer\n---\n\n---\n*Depth: 0 rounds. Mode: direct.*\n').answer.text).toBe('---');
    expect(parseTranscript('## Answer\nYes.\n***\n*Depth: 0 rounds. Mode: direct.*\n').answer.text).toBe('Yes.');
  });

  it('takes the last Depth line as the footer', () => {
    const t = parseTranscript('*Depth: 9 rounds. Mode: direct.*\n\n## Answer\nx\n\n---\n*Depth: 0 rounds. Mode: direct.*\n');
    expect(t.footer?.depth).toBe(0);
  });

  it('lensSequence follows the footer mode', () => {
    expect(lensSequence(parseTranscript(fixture('silent-pass.md')))).toEqual(['Clarify', 'Deepen', 'Challenge']);
    expect(lensSequence(parseTranscript(fixture('trace-pass.md')))).toEqual(['Clarify', 'Deepen', 'Challenge', 'Synthesize']);
    expect(lensSequence(parseTranscript(fixture('agent-pass.md')))).toEqual(['Steelman', 'Steelman', 'Tradeoff-Map', 'Challenge']);
    expect(lensSequence(parseTranscript(fixture('direct-pass.md')))).toEqual([]);
  });
});
