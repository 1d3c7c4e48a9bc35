import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyExpectations, CalibrationFileError, DEFAULT_CASES_PATH, formatCheckLines, loadCalibrationCases,
  parseCalibrationCases, parseTranscript, type Expectation,
} from '../../src/check/index.js';
import { edit, fixture } from './helpers.js';

const parsed = (name: string) => parseTranscript(fixture(name));

function one(name: string, e: Expectation) {
  const [result] = applyExpectations(parsed(name), [e]);
  return result!;
}

describe('calibration/cases.json', () => {
  it('the shipped file validates and holds the five spec cases', () => {
    expect(DEFAULT_CASES_PATH).toMatch(/calibration[\\/]cases\.json$/);
    const file = loadCalibrationCases();
    expect(file.cases.map((c) => c.id)).toEqual([
      'sqlite-vs-postgres', 'pivot-or-stay', 'read-heavy-caching', 'code-review-10x', 'ai-training-consent',
    ]);
    for (const c of file.cases) {
      for (const mode of ['silent', 'trace', 'agent'] as const) {
        expect(c.expect[mode]).toContainEqual(expect.objectContaining({ kind: 'mode-is', value: mode }));
      }
    }
  });

  it('the fixtures meet the matching shipped expectations', () => {
    const cases = new Map(loadCalibrationCases().cases.map((c) => [c.id, c]));
    const review = applyExpectations(parsed('trace-pass.md'), cases.get('code-review-10x')!.expect.trace);
    expect(review.every((r) => r.pass)).toBe(true);
    const ethics = applyExpectations(parsed('agent-pass.md'), cases.get('ai-training-consent')!.expect.agent);
    expect(ethics.every((r) => r.pass)).toBe(true);
    const sqlite = applyExpectations(parsed('silent-pass.md'), cases.get('sqlite-vs-postgres')!.expect.silent);
    expect(formatCheckLines({ checks: sqlite })).toEqual([
      'PASS expect-mode-is: mode silent; expected: no agent escalation',
      'PASS expect-max-lenses: 3 lenses (at most 3); expected: ≤3 lens path',
    ]);
  });
});

describe('loader errors name the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mythos-cases-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const valid = {
    version: 1,
    cases: [{ id: 'a-case', question: 'q?', mechanisms: 'm', invoke: { silent: '', trace: 'trace', agent: 'deep' }, expect: { silent: [], trace: [], agent: [] } }],
  };

  it('a missing file', () => {
    const path = join(dir, 'absent.json');
    expect(() => loadCalibrationCases(path)).toThrow(CalibrationFileError);
    expect(() => loadCalibrationCases(path)).toThrow(`malformed calibration file ${path}: cannot read it`);
  });

  it('invalid JSON', () => {
    const path = write('bad.json', '{ nope');
    expect(() => loadCalibrationCases(path)).toThrow(`malformed calibration file ${path}: not JSON`);
  });

  it('an unknown expectation kind, with the offending location', () => {
    const bad = structuredClone(valid);
    (bad.cases[0]!.expect.trace as unknown[]).push({ kind: 'max-rounds', value: 3, note: 'n' });
    const path = write('kind.json', JSON.stringify(bad));
    expect(() => loadCalibrationCases(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cases\\.0\\.expect\\.trace\\.0`));
  });

  it('a missing note, an unknown lens, min above max, a duplicate id', () => {
    const bad = (e: unknown) => ({ ...valid, cases: [{ ...valid.cases[0]!, expect: { silent: [e], trace: [], agent: [] } }] });
    expect(() => parseCalibrationCases(bad({ kind: 'nonempty-tensions' }), 'x.json')).toThrow(/x\.json: cases\.0\.expect\.silent\.0\.note/);
    expect(() => parseCalibrationCases(bad({ kind: 'includes-lens', value: 'Ponder', note: 'n' }), 'x.json')).toThrow(/value/);
    expect(() => parseCalibrationCases(bad({ kind: 'rounds-between', min: 4, max: 2, note: 'n' }), 'x.json')).toThrow(/min must not exceed max/);
    expect(() => parseCalibrationCases({ ...valid, cases: [valid.cases[0], valid.cases[0]] }, 'x.json')).toThrow(/unique/);
  });

  it('accepts a valid file', () => {
    expect(loadCalibrationCases(write('ok.json', JSON.stringify(valid))).cases).toHaveLength(1);
  });
});

describe('applyExpectations, per kind', () => {
  const note = 'n';
  const table: Array<[string, string, Expectation, boolean, string]> = [
    ['mode-is agent', 'agent-pass.md', { kind: 'mode-is', value: 'agent', note }, true, 'expect-mode-is'],
    ['mode-is silent on an escalated run', 'agent-pass.md', { kind: 'mode-is', value: 'silent', note }, false, 'expect-mode-is'],
    ['max-lenses 3', 'silent-pass.md', { kind: 'max-lenses', value: 3, note }, true, 'expect-max-lenses'],
    ['max-lenses 2', 'silent-pass.md', { kind: 'max-lenses', value: 2, note }, false, 'expect-max-lenses'],
    ['lenses-between 3..4', 'silent-pass.md', { kind: 'lenses-between', min: 3, max: 4, note }, true, 'expect-lenses-between'],
    ['lenses-between 4..5', 'silent-pass.md', { kind: 'lenses-between', min: 4, max: 5, note }, false, 'expect-lenses-between'],
    ['rounds-between 3..4', 'trace-pass.md', { kind: 'rounds-between', min: 3, max: 4, note }, true, 'expect-rounds-between'],
    ['rounds-between 2..3', 'trace-pass.md', { kind: 'rounds-between', min: 2, max: 3, note }, false, 'expect-rounds-between'],
    ['min-subagents 3', 'agent-pass.md', { kind: 'min-subagents', value: 3, note }, true, 'expect-min-subagents'],
    ['min-subagents 5', 'agent-pass.md', { kind: 'min-subagents', value: 5, note }, false, 'expect-min-subagents'],
    ['includes-lens Challenge', 'trace-pass.md', { kind: 'includes-lens', value: 'Challenge', note }, true, 'expect-includes-lens-challenge'],
    ['includes-lens Edge-Hunt', 'trace-pass.md', { kind: 'includes-lens', value: 'Edge-Hunt', note }, false, 'expect-includes-lens-edge-hunt'],
    ['lens-count-at-least Steelman 2', 'agent-pass.md', { kind: 'lens-count-at-least', lens: 'Steelman', value: 2, note }, true, 'expect-lens-count-at-least-steelman'],
    ['lens-count-at-least Tradeoff-Map 2', 'agent-pass.md', { kind: 'lens-count-at-least', lens: 'Tradeoff-Map', value: 2, note }, false, 'expect-lens-count-at-least-tradeoff-map'],
    ['last-lens-is Synthesize', 'trace-pass.md', { kind: 'last-lens-is', value: 'Synthesize', note }, true, 'expect-last-lens-is-synthesize'],
    ['last-lens-is Synthesize on agent', 'agent-pass.md', { kind: 'last-lens-is', value: 'Synthesize', note }, false, 'expect-last-lens-is-synthesize'],
    ['nonempty-tensions', 'agent-pass.md', { kind: 'nonempty-tensions', note }, true, 'expect-nonempty-tensions'],
    ['nonempty-tensions without Tensions', 'agent-no-tensions.md', { kind: 'nonempty-tensions', note }, false, 'expect-nonempty-tensions'],
    ['nonempty-tensions on a trace', 'trace-pass.md', { kind: 'nonempty-tensions', note }, false, 'expect-nonempty-tensions'],
  ];
  for (const [name, file, e, pass, id] of table) {
    it(`${name} → ${pass ? 'PASS' : 'FAIL'} ${id}`, () => {
      expect(one(file, e)).toMatchObject({ id, pass });
    });
  }

  it('a Tensions line that names none does not count', () => {
    const text = edit(fixture('agent-pass.md'), ['**Tensions:** Whether learning from a work is more like reading or copying.', '**Tensions:** None.']);
    const [result] = applyExpectations(parseTranscript(text), [{ kind: 'nonempty-tensions', note: 'merge surfaces tension' }]);
    expect(result).toEqual({ id: 'expect-nonempty-tensions', pass: false, detail: 'Tensions: None.; expected: merge surfaces tension' });
  });

  it('formats like the structural checks', () => {
    const results = applyExpectations(parsed('trace-pass.md'), [
      { kind: 'includes-lens', value: 'Scar-Tissue', note: 'Scar-Tissue surfaces failure patterns' },
    ]);
    expect(formatCheckLines({ checks: results })).toEqual([
      'FAIL expect-includes-lens-scar-tissue: Scar-Tissue not among Clarify, Deepen, Challenge, Synthesize; expected: Scar-Tissue surfaces failure patterns',
    ]);
  });
});
