/**
 * The skill docs describe exactly what the CLI writes: every footer form, stop phrase, discard
 * reason and mark the format module can produce appears in SKILL.md and in the output shapes of
 * prompt-templates.md, and every footer the docs show is one the CLI can produce. A change to
 * either side without the other fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countProblem, parseFooter } from '../../src/check/parse-transcript.js';
import { BLANK_FIELD, DISCARD_REASONS, discardedMark, failedMark, repeatsRound } from '../../src/core/format/fields.js';
import {
  agentFooter, DIRECT_FOOTER, FOOTER_UNITS, footerCount, silentFooter, TRACE_STOP_PHRASES, traceFooter, type FooterUnit,
} from '../../src/core/format/footers.js';
import { defaultReferencesDir } from '../../src/core/prompts/reference-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const skill = readFileSync(join(ROOT, 'skills', 'mythos', 'SKILL.md'), 'utf8');
const templates = readFileSync(join(defaultReferencesDir(), 'prompt-templates.md'), 'utf8');
const shapes = templates.slice(templates.indexOf('## Output shapes'));
const DOCS = { 'SKILL.md': skill, 'prompt-templates.md (Output shapes)': shapes };

/** A footer with its numbers as the docs write them (N, X) and any lens path as `…`. */
function generic(footer: string): string {
  return footer.replace(/Lens path: [^*]*?\.\*$/, 'Lens path: ….*').replace(/\b7\b/g, 'N').replace(/\b5\b/g, 'X');
}

/** Every footer form the CLI writes, in the docs' generic notation. */
const CLI_FOOTERS = [
  DIRECT_FOOTER,
  silentFooter(Array.from({ length: 7 }, () => 'Clarify')),
  traceFooter(7, { kind: 'converged', round: 5 }),
  traceFooter(7, { kind: 'stopped', round: 5, reason: '<reason>' }),
  agentFooter(7),
  agentFooter(7, false),
].map(generic);

describe.each(Object.entries(DOCS))('%s matches the format module', (_, doc) => {
  it('shows every footer form the CLI writes, and no other', () => {
    const shown = [...doc.matchAll(/\*Depth: [^*\n]+\*/g)].map((m) => generic(m[0]));
    expect(new Set(shown)).toEqual(new Set(CLI_FOOTERS));
  });

  it("its footers read back with a count in the right number", () => {
    for (const [footer] of doc.matchAll(/\*Depth: [^*\n]+\*/g)) {
      const concrete = footer.replace(/\bN\b/g, '4').replace(/\bX\b/g, '3').replace('<reason>', 'oscillation');
      const parsed = parseFooter(concrete);
      expect(parsed?.depth, footer).not.toBeNull();
      expect(countProblem(parsed), footer).toBeNull();
    }
  });

  it('names every reason a trace footer may give after "stopped at round X:"', () => {
    for (const phrase of TRACE_STOP_PHRASES) expect(doc).toContain(`\`${phrase}\``);
  });

  it('names every discard reason and the marks a round or subagent shows instead of model text', () => {
    for (const reason of [...Object.values(DISCARD_REASONS), repeatsRound('N')]) expect(doc).toContain(`\`${reason}\``);
    expect(doc).toContain(discardedMark('<why>'));
    expect(doc).toContain(failedMark('<why>'));
  });

  it('gives the singular of every counted footer noun', () => {
    for (const unit of Object.keys(FOOTER_UNITS) as FooterUnit[]) expect(doc).toContain(`\`${footerCount(1, unit)}\``);
  });
});

describe('prompt-templates.md output shapes', () => {
  it('name the placeholder a blank field shows', () => {
    expect(shapes).toContain(`\`${BLANK_FIELD}\``);
  });
});
