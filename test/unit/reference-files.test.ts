import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/core/errors.js';
import { fillTemplate } from '../../src/core/prompts/fill-template.js';
import {
  defaultReferencesDir, loadReferences, splitSections, TEMPLATE_PLACEHOLDERS, type TemplateName,
} from '../../src/core/prompts/reference-files.js';
import { LENSES } from '../../src/core/schemas.js';

const shipped = defaultReferencesDir();
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of references/ with one file edited; a new dir each time (the loader caches by dir). */
function brokenCopy(file: string, edit: (text: string) => string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mythos-refs-'));
  temps.push(dir);
  cpSync(shipped, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after, `the edit to ${file} changed nothing`).not.toBe(before);
  writeFileSync(path, after);
  return { dir, path };
}

function loadError(dir: string): PromptFileError {
  try {
    loadReferences(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(PromptFileError);
    return error as PromptFileError;
  }
  throw new Error(`loadReferences(${dir}) did not throw`);
}

describe('loadReferences: the shipped files', () => {
  const refs = loadReferences();

  it('loads all twelve lenses with their four fields', () => {
    expect(Object.keys(refs.lenses).sort()).toEqual([...LENSES].sort());
    expect(Object.keys(refs.lenses)).toHaveLength(12);
    for (const lens of Object.values(refs.lenses)) {
      for (const value of [lens.asks, lens.fitsWhen, lens.goodInsight, lens.secondApplication]) {
        expect(value.length, lens.name).toBeGreaterThan(10);
        expect(value, lens.name).not.toContain('\n');
      }
    }
    expect(refs.lenses.Clarify.asks.startsWith('What exactly is being asked')).toBe(true);
  });

  it('loads every template, non-empty, using only its allowed placeholders', () => {
    const names = Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateName[];
    expect(Object.keys(refs.templates).sort()).toEqual([...names].sort());
    for (const name of names) {
      const text = refs.templates[name];
      expect(text.trim().length, name).toBeGreaterThan(20);
      expect(text, name).not.toContain('```');
      const used = new Set([...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]));
      for (const placeholder of used) expect(TEMPLATE_PLACEHOLDERS[name] as readonly string[], name).toContain(placeholder);
    }
    expect(refs.templates.Prelude).toContain('{{question}}');
    expect(refs.templates.Round).toContain('{{insight_chain}}');
    expect(refs.templates.Merge).toContain('{{findings}}');
  });

  it('returns the cached bundle for the same dir', () => {
    expect(loadReferences(shipped)).toBe(loadReferences(shipped));
  });
});

describe('loadReferences: malformed copies fail with PromptFileError naming the file', () => {
  it('a missing lens section', () => {
    const { dir, path } = brokenCopy('lenses.md', (t) => t.replace('## Steelman', '## Steel-man'));
    const error = loadError(dir);
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('missing section "## Steelman"');
  });

  it('a lens missing one of its fields', () => {
    const { dir, path } = brokenCopy('lenses.md', (t) => t.replace(/^\*\*Good insight:\*\*.*\n/m, ''));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toContain('lens Clarify');
    expect(error.message).toContain('goodInsight');
  });

  it('frontmatter that is not valid YAML', () => {
    const { dir, path } = brokenCopy('lenses.md', (t) => t.replace('rotation: [Clarify,', 'rotation: [Clarify,: {'));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toContain('frontmatter is not valid YAML');
  });

  it('frontmatter that fails the schema: an unknown driver', () => {
    const { dir, path } = brokenCopy('lenses.md', (t) => t.replace('  Ambiguity: [Clarify]', '  Ambiguity: [Clarify]\n  Gut feeling: [Invert]'));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/drivers/);
  });

  it('frontmatter that fails the schema: an unknown lens in the rotation', () => {
    const { dir, path } = brokenCopy('lenses.md', (t) => t.replace('rotation: [Clarify,', 'rotation: [Clarify, Daydream,'));
    expect(loadError(dir).message).toContain(path);
  });

  it('frontmatter with the wrong kind', () => {
    const { dir, path } = brokenCopy('agent-blueprint.md', (t) => t.replace('kind: agent-blueprint', 'kind: blueprint'));
    const error = loadError(dir);
    expect(error.path).toBe(path);
    expect(error.message).toContain('kind');
  });

  it('a template section with two template blocks', () => {
    const { dir, path } = brokenCopy('prompt-templates.md', (t) =>
      t.replace('## Judge\n', '## Judge\n\n```template\nA second block for {{question}}.\n```\n'));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toContain('section "## Judge" needs exactly one ```template block, found 2');
  });

  it('a template section with no template block', () => {
    const { dir, path } = brokenCopy('agent-blueprint.md', (t) => t.replace(/(## Merge[\s\S]*?)```template/, '$1```text'));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toContain('section "## Merge" needs exactly one ```template block, found 0');
  });

  it('an unknown placeholder', () => {
    const { dir, path } = brokenCopy('prompt-templates.md', (t) =>
      t.replace('Step: Round {{round}} of {{total_rounds}}', 'Step: Round {{round}} of {{total_rounds}} ({{mood}})'));
    const error = loadError(dir);
    expect(error.message).toContain(path);
    expect(error.message).toContain('section "## Round" uses unknown placeholder {{mood}}');
  });

  it('a placeholder allowed elsewhere but not in this template', () => {
    const { dir, path } = brokenCopy('agent-blueprint.md', (t) => t.replace('{{findings}}', '{{findings}} {{insight_chain}}'));
    expect(loadError(dir).message).toContain(`${path}: section "## Merge" uses unknown placeholder {{insight_chain}}`);
  });

  it('a missing template section', () => {
    const { dir, path } = brokenCopy('prompt-templates.md', (t) => t.replace('## Direct Coda', '## Plain Coda'));
    expect(loadError(dir).message).toContain(`${path}: missing section "## Direct Coda"`);
  });

  it('a missing file', () => {
    const { dir } = brokenCopy('agent-blueprint.md', () => '');
    rmSync(join(dir, 'agent-blueprint.md'));
    const error = loadError(dir);
    expect(error.message).toContain(join(dir, 'agent-blueprint.md'));
    expect(error.message).toContain('cannot be read (ENOENT)');
  });
});

describe('splitSections', () => {
  it('maps each ## heading to its text, ignoring the preamble and ### headings', () => {
    const sections = splitSections('# Title\nintro\n## One\nfirst\n### Sub\nmore\n## Two  \nsecond\n');
    expect([...sections.keys()]).toEqual(['One', 'Two']);
    expect(sections.get('One')?.trim()).toBe('first\n### Sub\nmore');
    expect(sections.get('Two')?.trim()).toBe('second');
  });

  it('gives an empty body to a heading at the end of the text', () => {
    expect(splitSections('## Last').get('Last')).toBe('');
  });

  it('does not treat a ## line inside a code fence as a heading', () => {
    const sections = splitSections('## Coda\n```template\n## Answer\n{{question}}\n```\n## Next\nx');
    expect([...sections.keys()]).toEqual(['Coda', 'Next']);
    expect(sections.get('Coda')).toContain('## Answer');
  });
});

describe('fillTemplate', () => {
  it('fills every placeholder, with or without inner spaces, numbers included', () => {
    expect(fillTemplate('Round {{round}} of {{ total_rounds }}: {{lens}} / {{lens}}', { round: 2, total_rounds: 6, lens: 'Deepen' }))
      .toBe('Round 2 of 6: Deepen / Deepen');
  });

  it('throws on a placeholder without a value', () => {
    expect(() => fillTemplate('Q: {{question}} P: {{prelude}}', { question: 'why?' })).toThrow('template placeholder {{prelude}} has no value');
  });

  it('does not re-expand placeholders inside supplied values', () => {
    expect(fillTemplate('{{question}}', { question: 'what is {{prelude}}?' })).toBe('what is {{prelude}}?');
  });

  it('fills every shipped template from its declared placeholders', () => {
    const refs = loadReferences();
    for (const name of Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateName[]) {
      const values = Object.fromEntries(TEMPLATE_PLACEHOLDERS[name].map((p) => [p, `<${p}>`]));
      const filled = fillTemplate(refs.templates[name], values);
      expect(filled, name).not.toMatch(/\{\{/);
      for (const p of TEMPLATE_PLACEHOLDERS[name]) expect(filled, `${name} uses ${p}`).toContain(`<${p}>`);
    }
  });
});
