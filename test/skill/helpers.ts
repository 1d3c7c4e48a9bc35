import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SKILL_DIR = join(ROOT, 'skills', 'mythos');
export const REFERENCES_DIR = join(ROOT, 'references');

/** A temp dir removed when the current test finishes (call it inside a test). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mythos-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under dir as relative path → contents, for comparing whole trees. */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else tree[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'latin1');
    }
  };
  walk(dir);
  return tree;
}

/** The raw frontmatter block of a markdown file (between the first two `---` lines). */
export function rawFrontmatter(text: string): string {
  const match = text.match(/^---\n([\s\S]*?)\n---\n/);
  if (!match?.[1]) throw new Error('no frontmatter');
  return match[1];
}

/**
 * Problems with a skill's frontmatter under the Agent Skills rules (name, description,
 * compatibility, metadata). Returns an empty list when the frontmatter is valid.
 */
export function agentSkillProblems(data: Record<string, unknown>, folder: string): string[] {
  const problems: string[] = [];
  const { name, description, compatibility, metadata } = data;
  if (typeof name !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || name.length > 64) {
    problems.push(`name must be 1-64 lowercase letters, digits and single hyphens: ${String(name)}`);
  } else {
    if (name !== folder) problems.push(`name ${name} differs from its folder ${folder}`);
    if (/claude|anthropic/.test(name)) problems.push('name must not contain "claude" or "anthropic"');
  }
  if (typeof description !== 'string' || description.trim().length === 0 || description.length > 1024) {
    problems.push('description must be a string of 1-1024 characters');
  } else if (/[<>]/.test(description)) {
    problems.push('description must not contain angle brackets');
  }
  if (compatibility !== undefined && (typeof compatibility !== 'string' || compatibility.length > 500)) {
    problems.push('compatibility must be a string of at most 500 characters');
  }
  if (metadata !== undefined) {
    const entries = typeof metadata === 'object' && metadata !== null ? Object.entries(metadata) : null;
    if (!entries || entries.some(([, value]) => typeof value !== 'string')) {
      problems.push('metadata must map strings to strings');
    }
  }
  if (data['allowed-tools'] !== undefined && typeof data['allowed-tools'] !== 'string') {
    problems.push('allowed-tools must be a space-separated string');
  }
  return problems;
}

export const PORTABLE_KEYS = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];
