/**
 * The skill bundle: SKILL.md, the reference copies beside it, and the reference file format
 * that both the skill and the CLI read.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { loadReferences, splitSections, TEMPLATE_PLACEHOLDERS } from '../../src/core/prompts/reference-files.js';
import { LENSES } from '../../src/core/schemas.js';
import { agentSkillProblems, PORTABLE_KEYS, rawFrontmatter, REFERENCES_DIR, ROOT, SKILL_DIR, tempDir } from './helpers.js';

const skillText = readFileSync(join(SKILL_DIR, 'SKILL.md'), 'utf8');
const skill = matter(skillText, {});
const reference = (name: string) => readFileSync(join(REFERENCES_DIR, name), 'utf8');

function syncSkill(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'scripts', 'sync-skill.mjs'), ...args], { encoding: 'utf8' });
}

describe('reference copies in skills/mythos/references', () => {
  it('match the canonical references/ byte for byte', () => {
    const result = syncSkill(ROOT, '--check');
    expect(result.stderr, 'run: node scripts/sync-skill.mjs').toBe('');
    expect(result.status).toBe(0);
  });

  it('--check exits 1 and names each drifted file; a plain run repairs them', () => {
    const root = tempDir('sync');
    for (const part of ['scripts', 'references', 'skills']) cpSync(join(ROOT, part), join(root, part), { recursive: true });
    const copies = join(root, 'skills', 'mythos', 'references');
    writeFileSync(join(copies, 'lenses.md'), 'stale\n');
    writeFileSync(join(copies, 'extra.md'), 'not canonical\n');

    const check = syncSkill(root, '--check');
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('lenses.md: differs');
    expect(check.stderr).toContain('extra.md: not in references/');
    expect(check.stderr).not.toContain('prompt-templates.md');

    expect(syncSkill(root).status).toBe(0);
    expect(syncSkill(root, '--check').status).toBe(0);
    expect(existsSync(join(copies, 'extra.md'))).toBe(false);
  });
});

describe('SKILL.md', () => {
  const front = rawFrontmatter(skillText);

  it('has valid Claude Code frontmatter', () => {
    expect(skill.data.name).toBe('mythos');
    expect(agentSkillProblems(skill.data, 'mythos')).toEqual([]);
    const allowed = [...PORTABLE_KEYS, 'argument-hint'];
    expect(Object.keys(skill.data).filter((key) => !allowed.includes(key))).toEqual([]);
  });

  it('writes the description on one double-quoted line', () => {
    const line = front.split('\n').find((l) => l.startsWith('description:'));
    expect(line).toMatch(/^description: ".+"$/);
    expect(front).not.toMatch(/^description:\s*[>|]/m);
  });

  it('quotes the argument hint so YAML parses it', () => {
    expect(front).toContain('argument-hint: "[trace|deep|quick] <question>"');
    expect(skill.data['argument-hint']).toBe('[trace|deep|quick] <question>');
  });

  it('is under 500 lines and uses $ARGUMENTS', () => {
    expect(skillText.split('\n').length).toBeLessThan(500);
    expect(skill.content).toContain('$ARGUMENTS');
  });

  it('names reference files through ${CLAUDE_SKILL_DIR}, and each one exists in the skill folder', () => {
    const named = [...skillText.matchAll(/\$\{CLAUDE_SKILL_DIR\}\/references\/([\w.-]+\.md)/g)].map((m) => m[1] ?? '');
    expect(new Set(named)).toEqual(new Set(['lenses.md', 'prompt-templates.md', 'agent-blueprint.md']));
    for (const name of named) expect(existsSync(join(SKILL_DIR, 'references', name)), name).toBe(true);
    // A bare relative path would resolve against the user's working directory.
    const bare = skillText.split('\n').filter((line) => line.replaceAll('${CLAUDE_SKILL_DIR}/references/', '').includes('references/'));
    expect(bare).toEqual([]);
  });

  it('carries the exact headings, labels and footers', () => {
    for (const shape of OUTPUT_SHAPES) expect(skillText, shape).toContain(shape);
    expect(skillText).toContain('**Convergence:** evolving / stable / breakthrough / negative-delta');
    expect(skillText).toContain('*Depth: N latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge.*');
    expect(skillText).toContain('[Dispatching N parallel subagents: <lenses>]');
  });
});

/** Format facts both SKILL.md and the output-shape docs in prompt-templates.md must carry. */
const OUTPUT_SHAPES = [
  '## Answer',
  '## Prelude',
  '**Q:** <restated question> | **Not:** <anti-scope>',
  '**Complexity:** <score>/5 → trace mode (forced), <total> rounds total | **Drivers:**',
  '**Budget:** Clarify ×2 →',
  '**Success:**',
  '### Round 1: Clarify',
  '**Insight chain:** R1: <insight>',
  '**New insight:**',
  '**What changed:**',
  '**Convergence:** evolving',
  '### Subagent A — Clarify',
  '**Independent finding:**',
  '**Confidence:** high',
  '### Merge',
  '**Convergent points:**',
  '**Tensions:**',
  '**Synthesis:**',
  '\n---\n*Depth: 0 rounds. Mode: direct.*',
  '*Depth: N rounds, converged at round X. Mode: trace.*',
  '*Depth: N rounds, stopped at round X: <reason>. Mode: trace.*',
  '*Depth: N parallel subagents merged. Mode: agent.*',
  '*Load-bearing assumptions: <assumption>; <assumption>*',
  '## Prelude (re-Prelude after Round N)',
];

describe('reference files', () => {
  it('load through the CLI loader, canonical and skill copies alike', () => {
    for (const dir of [REFERENCES_DIR, join(SKILL_DIR, 'references')]) {
      const bundle = loadReferences(dir);
      expect(Object.keys(bundle.lenses)).toHaveLength(12);
      expect(Object.keys(bundle.templates).sort()).toEqual(Object.keys(TEMPLATE_PLACEHOLDERS).sort());
    }
  });

  it('lenses.md has the design card frontmatter and a driver table that matches it', () => {
    const file = matter(reference('lenses.md'), {});
    const drivers = {
      Ambiguity: ['Clarify'],
      'Hidden assumptions': ['Challenge', 'Steelman'],
      'Multi-hop': ['Deepen', 'System-Think'],
      'Trade-offs': ['Tradeoff-Map', 'Expand'],
      'Novel domain': ['First-Principles', 'Expand'],
      'System dynamics': ['System-Think', 'Edge-Hunt'],
    };
    expect(file.data).toEqual({ kind: 'lenses', rotation: ['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize'], drivers });
    for (const [driver, lenses] of Object.entries(drivers)) {
      expect(file.content).toContain(`| ${driver} | ${lenses.join(', ')} |`);
    }
  });

  it('lenses.md gives each of the twelve lenses exactly the four one-line fields', () => {
    const sections = splitSections(matter(reference('lenses.md'), {}).content);
    expect([...sections.keys()]).toEqual([...LENSES]);
    for (const [lens, body] of sections) {
      const lines = body.split('\n').filter((line) => line.trim() !== '');
      const labels = lines.map((line) => line.match(/^\*\*([^*]+):\*\* \S/)?.[1]);
      expect(labels, lens).toEqual(['Asks', 'Fits when', 'Good insight', 'Second application']);
    }
    expect(sections.get('Steelman')).toMatch(/\*\*Second application:\*\* .*opposite side of the first/);
  });

  const templateFiles = ['prompt-templates.md', 'agent-blueprint.md'];

  it.each(templateFiles)('%s: each template section has one template block using all its placeholders and no others', (name) => {
    const file = matter(reference(name), {});
    expect(file.data).toEqual({ kind: name.replace('.md', '') });
    const sections = splitSections(file.content);
    const mine = Object.entries(TEMPLATE_PLACEHOLDERS).filter(([section]) => (section === 'Subagent' || section === 'Merge') === (name === 'agent-blueprint.md'));
    for (const [section, allowed] of mine) {
      const body = sections.get(section);
      expect(body, `## ${section}`).toBeDefined();
      const blocks = [...(body ?? '').matchAll(/^```template\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
      expect(blocks, section).toHaveLength(1);
      const used = new Set([...(blocks[0] ?? '').matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]));
      expect([...used].sort(), section).toEqual([...allowed].sort());
      // Templates describe the reply in words; the reply format travels separately.
      expect((blocks[0] ?? '').replace(/\{\{\s*[a-z_]+\s*\}\}/g, ''), section).not.toMatch(/[{}]/);
    }
  });

  it.each(['lenses.md', ...templateFiles])('%s: no "## " line hides inside a fenced block', (name) => {
    let fenced = false;
    const hidden: string[] = [];
    for (const line of reference(name).split('\n')) {
      if (/^```/.test(line)) fenced = !fenced;
      else if (fenced && /^## /.test(line)) hidden.push(line);
    }
    expect(hidden).toEqual([]);
  });

  it('prompt-templates.md documents every output shape', () => {
    const text = reference('prompt-templates.md');
    // The shapes there sit in indented code blocks.
    for (const shape of OUTPUT_SHAPES) expect(text, shape).toContain(shape.replace('\n---\n', '\n  ---\n  '));
    expect(text).toContain('*Depth: N latent passes. Mode: silent. Lens path: A → B → C.*');
    expect(text).toContain('[Dispatching 5 parallel subagents: Clarify, Clarify, Challenge, Steelman, Steelman]');
    for (const reason of ['max rounds reached', 'negative delta', 'oscillation', 'budget reached', 'no concrete insight']) {
      expect(text).toContain(`\`${reason}\``);
    }
  });

  it('agent-blueprint.md says to dispatch in one message and never sequentially', () => {
    const text = reference('agent-blueprint.md');
    expect(text).toMatch(/single\s+assistant message/);
    expect(text).toMatch(/is wrong/);
    expect(text).toMatch(/Never\s+include another subagent's output/);
  });
});
