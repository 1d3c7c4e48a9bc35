#!/usr/bin/env node
// Builds dist/mythos-skill.zip: the skill in the portable Agent Skills form, for uploads to
// claude.ai and other hosts that accept only the standard frontmatter keys.
//
//   node scripts/pack-skill.mjs [--out <path>]
//
// The zip holds mythos/SKILL.md and mythos/references/*.md. SKILL.md keeps only the six portable
// keys; Claude Code's argument-hint moves under metadata, and other Claude Code keys are dropped.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { argv, cwd, exit, stderr, stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import matter from 'gray-matter';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORTABLE_KEYS = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];
// Fixed timestamps make the zip byte-for-byte reproducible.
const MTIME = new Date('2000-01-01T00:00:00Z');

function parseArgs(args) {
  let out = join(root, 'dist', 'mythos-skill.zip');
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--out' && args[i + 1]) out = resolve(args[(i += 1)]);
    else throw new UsageError(`unknown argument ${args[i]}`);
  }
  return { out };
}

class UsageError extends Error {}

/** A YAML double-quoted scalar: JSON string syntax is valid YAML. */
const quote = (value) => JSON.stringify(String(value));

/** Rewrites SKILL.md with portable frontmatter; returns the text and the keys it dropped. */
function portableSkill(raw) {
  const file = matter(raw.replace(/\r\n/g, '\n'), {});
  const data = { ...file.data };
  const metadata = { ...(data.metadata ?? {}) };
  if (data['argument-hint'] !== undefined) metadata['argument-hint'] = String(data['argument-hint']);
  const dropped = Object.keys(data).filter((key) => !PORTABLE_KEYS.includes(key) && key !== 'argument-hint');

  const lines = [];
  for (const key of ['name', 'description', 'license', 'compatibility']) {
    if (data[key] !== undefined) lines.push(`${key}: ${quote(data[key])}`);
  }
  if (Object.keys(metadata).length > 0) {
    lines.push('metadata:');
    for (const [key, value] of Object.entries(metadata)) {
      lines.push(`  ${/^[A-Za-z0-9_-]+$/.test(key) ? key : quote(key)}: ${quote(value)}`);
    }
  }
  const tools = data['allowed-tools'];
  if (tools !== undefined) lines.push(`allowed-tools: ${quote(Array.isArray(tools) ? tools.join(' ') : tools)}`);

  const body = file.content.startsWith('\n') ? file.content : `\n${file.content}`;
  return { text: `---\n${lines.join('\n')}\n---\n${body}`, dropped };
}

function main(args) {
  const { out } = parseArgs(args);
  const skillDir = join(root, 'skills', 'mythos');
  const { text, dropped } = portableSkill(readFileSync(join(skillDir, 'SKILL.md'), 'utf8'));

  const entries = { 'mythos/SKILL.md': [strToU8(text), { mtime: MTIME }] };
  const refsDir = join(root, 'references');
  const refs = readdirSync(refsDir).filter((name) => name.endsWith('.md')).sort();
  if (refs.length === 0) throw new Error('no .md files in references/');
  for (const name of refs) entries[`mythos/references/${name}`] = [readFileSync(join(refsDir, name)), { mtime: MTIME }];

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zipSync(entries, { level: 9 }));
  if (dropped.length > 0) stdout.write(`pack-skill: dropped non-portable keys: ${dropped.join(', ')}\n`);
  const shown = relative(cwd(), out);
  stdout.write(`pack-skill: wrote ${shown.startsWith('..') ? out : shown} (${Object.keys(entries).length} files)\n`);
  return 0;
}

try {
  exit(main(argv.slice(2)));
} catch (error) {
  stderr.write(`pack-skill: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) stderr.write('usage: node scripts/pack-skill.mjs [--out <path>]\n');
  exit(error instanceof UsageError ? 2 : 1);
}
