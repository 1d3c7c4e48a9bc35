/**
 * scripts/pack-skill.mjs builds the portable skill zip; it must satisfy the Agent Skills rules
 * that claude.ai uploads and validators such as skills-ref apply.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { agentSkillProblems, PORTABLE_KEYS, REFERENCES_DIR, ROOT, SKILL_DIR, tempDir } from './helpers.js';

function pack(): Record<string, Uint8Array> {
  const out = join(tempDir('pack'), 'mythos-skill.zip');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'pack-skill.mjs'), '--out', out], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return unzipSync(readFileSync(out));
}

describe('pack-skill.mjs', () => {
  it('zips mythos/SKILL.md and every reference, and nothing else', () => {
    const files = pack();
    const refs = readdirSync(REFERENCES_DIR).filter((name) => name.endsWith('.md'));
    expect(Object.keys(files).sort()).toEqual(['mythos/SKILL.md', ...refs.map((name) => `mythos/references/${name}`)].sort());
    for (const name of refs) {
      expect(Buffer.from(files[`mythos/references/${name}`] ?? []).equals(readFileSync(join(REFERENCES_DIR, name))), name).toBe(true);
    }
  });

  it('keeps only the portable frontmatter keys, valid under the Agent Skills rules', () => {
    const skill = matter(strFromU8(pack()['mythos/SKILL.md'] ?? new Uint8Array()), {});
    expect(Object.keys(skill.data).filter((key) => !PORTABLE_KEYS.includes(key))).toEqual([]);
    expect(agentSkillProblems(skill.data, 'mythos')).toEqual([]);

    const original = matter(readFileSync(join(SKILL_DIR, 'SKILL.md'), 'utf8'), {});
    expect(skill.data.name).toBe(original.data.name);
    expect(skill.data.description).toBe(original.data.description);
    expect(skill.data.metadata).toEqual({ 'argument-hint': original.data['argument-hint'] });
    expect(skill.content.trim()).toBe(original.content.trim());
  });

  it('is reproducible byte for byte', () => {
    const a = pack();
    const b = pack();
    for (const name of Object.keys(a)) expect(Buffer.from(a[name] ?? []).equals(Buffer.from(b[name] ?? [])), name).toBe(true);
  });

  it('agentSkillProblems catches each broken rule', () => {
    const valid = { name: 'mythos', description: 'Does things.' };
    expect(agentSkillProblems(valid, 'mythos')).toEqual([]);
    const broken: Array<Record<string, unknown>> = [
      { ...valid, name: 'Mythos' },
      { ...valid, name: 'my--thos' },
      { ...valid, name: 'a'.repeat(65) },
      { ...valid, name: 'claude-mythos' },
      { ...valid, description: '' },
      { ...valid, description: 'x'.repeat(1025) },
      { ...valid, description: 'Use for <question>' },
      { ...valid, compatibility: 'x'.repeat(501) },
      { ...valid, metadata: { hint: 3 } },
    ];
    for (const data of broken) expect(agentSkillProblems(data, String(data.name)), JSON.stringify(data).slice(0, 60)).not.toEqual([]);
    expect(agentSkillProblems(valid, 'other')).not.toEqual([]);
  });
});
