import { describe, expect, it } from 'vitest';
import { CHECK_IDS, CheckReportSchema, checkTranscript, formatCheckLines } from '../../src/check/index.js';
import { failingIds, find, fixture } from './helpers.js';

const PASSING = {
  'direct-pass.md': 'direct',
  'silent-pass.md': 'silent',
  'trace-pass.md': 'trace',
  'trace-stopped-pass.md': 'trace',
  'agent-pass.md': 'agent',
} as const;

const IDS_BY_MODE = {
  direct: ['mode-known', 'footer-present', 'answer-present', 'direct-footer', 'direct-no-protocol'],
  silent: [
    'mode-known', 'footer-present', 'answer-present', 'silent-no-visible-rounds', 'silent-no-prelude',
    'silent-footer', 'silent-lens-path', 'silent-depth-consistent', 'load-bearing-present',
  ],
  trace: [
    'mode-known', 'footer-present', 'answer-present', 'prelude-fields', 'trace-rounds-contiguous',
    'trace-lenses-known', 'trace-challenge-before-expand', 'trace-challenge-ran', 'trace-synthesize-last',
    'trace-rotation-order', 'trace-insight-chain', 'trace-round-fields', 'trace-convergence-values',
    'trace-footer', 'trace-depth-matches', 'trace-converged-within-depth', 'trace-re-prelude',
    'load-bearing-present',
  ],
  agent: [
    'mode-known', 'footer-present', 'answer-present', 'prelude-fields', 'agent-dispatch-line',
    'agent-dispatch-count', 'agent-dispatch-lenses', 'agent-subagent-letters', 'agent-subagent-findings',
    'agent-subagent-confidence', 'agent-merge-convergent-points', 'agent-merge-tensions',
    'agent-merge-synthesis', 'agent-footer', 'agent-footer-count', 'load-bearing-present',
  ],
};

describe('passing transcripts', () => {
  for (const [name, mode] of Object.entries(PASSING)) {
    it(`${name} passes every ${mode} check`, () => {
      const report = checkTranscript(fixture(name));
      expect(report.mode).toBe(mode);
      expect(report.checks.map((c) => c.id)).toEqual(IDS_BY_MODE[mode]);
      expect(failingIds(report)).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it(`${name} gives the same report with CRLF line ends`, () => {
      const lf = checkTranscript(fixture(name));
      expect(checkTranscript(fixture(name).replace(/\n/g, '\r\n'))).toEqual(lf);
    });
  }

  it('trace-crlf.md (a CRLF file on disk) still passes', () => {
    const text = fixture('trace-crlf.md');
    expect(text).toContain('\r\n');
    const report = checkTranscript(text);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(IDS_BY_MODE.trace);
  });

  it('every emitted id is a declared CHECK_ID', () => {
    const all = Object.values(IDS_BY_MODE).flat();
    for (const id of all) expect(CHECK_IDS).toContain(id);
  });

  it('the report is plain JSON that the schema accepts', () => {
    const report = checkTranscript(fixture('agent-pass.md'));
    expect(CheckReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});

describe('named failures', () => {
  const cases: Array<[string, string[]]> = [
    ['silent-visible-rounds.md', ['silent-no-visible-rounds']],
    ['trace-skips-challenge.md', ['trace-challenge-before-expand', 'trace-challenge-ran']],
    ['trace-missing-chain.md', ['trace-insight-chain']],
    ['agent-no-tensions.md', ['agent-merge-tensions']],
    ['agent-dispatch-mismatch.md', ['agent-dispatch-count', 'agent-dispatch-lenses']],
    ['trace-depth-mismatch.md', ['trace-depth-matches']],
    ['trace-converged-outside.md', ['trace-converged-within-depth']],
    ['trace-round-gap.md', ['trace-rounds-contiguous']],
  ];
  for (const [name, fails] of cases) {
    it(`${name} fails exactly ${fails.join(', ')}`, () => {
      const report = checkTranscript(fixture(name));
      expect(failingIds(report)).toEqual(fails);
      expect(report.ok).toBe(false);
    });
  }

  it('names each failure in its detail', () => {
    expect(find(checkTranscript(fixture('trace-missing-chain.md')), 'trace-insight-chain').detail)
      .toBe("round 3 has no insight chain; round 4's chain lacks R2");
    expect(find(checkTranscript(fixture('agent-dispatch-mismatch.md')), 'agent-dispatch-count').detail)
      .toBe('dispatch says 4, 3 subagent sections');
    expect(find(checkTranscript(fixture('trace-depth-mismatch.md')), 'trace-depth-matches').detail)
      .toBe('footer says 5 rounds, 4 shown');
    expect(find(checkTranscript(fixture('trace-converged-outside.md')), 'trace-converged-within-depth').detail)
      .toBe('converged at round 6, outside depth 4');
    expect(find(checkTranscript(fixture('trace-skips-challenge.md')), 'trace-challenge-ran').detail)
      .toBe('no Challenge round, yet the trace reached Expand at round 3');
  });
});

describe('formatCheckLines', () => {
  it('prints PASS and FAIL lines', () => {
    expect(formatCheckLines(checkTranscript(fixture('trace-pass.md')))).toContain(
      'PASS trace-rounds-contiguous: rounds 1..4 without gaps',
    );
    const lines = formatCheckLines(checkTranscript(fixture('trace-skips-challenge.md')));
    expect(lines).toContain('FAIL trace-challenge-before-expand: Expand at round 3 before any Challenge');
    expect(formatCheckLines(checkTranscript(fixture('silent-visible-rounds.md')))).toContain(
      'FAIL silent-no-visible-rounds: silent footer over 2 visible rounds (Round 1: Clarify, Round 2: Deepen)',
    );
    expect(formatCheckLines(checkTranscript(fixture('agent-no-tensions.md')))).toContain(
      'FAIL agent-merge-tensions: Merge has no Tensions',
    );
  });

  it('gives one line per check, in order', () => {
    const report = checkTranscript(fixture('direct-pass.md'));
    expect(formatCheckLines(report)).toEqual([
      'PASS mode-known: checking as direct (footer)',
      'PASS footer-present: Depth: 0 rounds. Mode: direct.',
      'PASS answer-present: ## Answer with text',
      'PASS direct-footer: Depth: 0 rounds. Mode: direct.',
      'PASS direct-no-protocol: only the Answer and the footer',
    ]);
  });
});

describe('mode', () => {
  it('without a footer or a given mode, one failing mode-known check', () => {
    const report = checkTranscript('## Answer\nSomething.\n');
    expect(report).toEqual({
      mode: null,
      ok: false,
      checks: [{ id: 'mode-known', pass: false, detail: 'no *Depth: … Mode: …* footer and no mode was given' }],
    });
  });

  it('an unknown footer mode is named', () => {
    const report = checkTranscript('## Answer\nx\n\n---\n*Depth: 2 rounds. Mode: deep.*\n');
    expect(formatCheckLines(report)).toEqual([
      "FAIL mode-known: footer names unknown mode 'deep' and no mode was given",
    ]);
  });

  it('a given mode overrides the footer and adds footer-mode-matches', () => {
    const report = checkTranscript(fixture('silent-visible-rounds.md'), { mode: 'trace' });
    expect(report.mode).toBe('trace');
    expect(find(report, 'mode-known').detail).toBe('checking as trace (given)');
    expect(find(report, 'footer-mode-matches')).toEqual({
      id: 'footer-mode-matches', pass: false, detail: 'footer says Mode: silent, checked as trace',
    });
    const same = checkTranscript(fixture('trace-pass.md'), { mode: 'trace' });
    expect(find(same, 'footer-mode-matches').pass).toBe(true);
    expect(same.ok).toBe(true);
  });

  it('a given mode checks a transcript that has no footer', () => {
    const text = fixture('direct-pass.md').replace('*Depth: 0 rounds. Mode: direct.*', '');
    const report = checkTranscript(text, { mode: 'direct' });
    expect(failingIds(report)).toEqual(['footer-present', 'footer-mode-matches', 'direct-footer']);
  });
});
