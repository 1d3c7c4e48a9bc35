#!/usr/bin/env node
// Copies the canonical references/*.md into skills/mythos/references/ so the skill folder is
// self-contained. With --check it changes nothing and exits 1 when the copies have drifted.
//
//   node scripts/sync-skill.mjs          write the copies
//   node scripts/sync-skill.mjs --check  verify them (for tests and CI)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { argv, exit, stderr, stdout } from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'references');
const target = join(root, 'skills', 'mythos', 'references');

function markdownFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => entry.name)
    .sort();
}

/** Every difference between the canonical files and the copies, as [file, problem] pairs. */
function findDrift() {
  const canonical = markdownFiles(source);
  if (canonical.length === 0) throw new Error(`no .md files in ${relative(root, source) || source}`);
  const drift = [];
  for (const name of canonical) {
    const copy = join(target, name);
    if (!existsSync(copy)) drift.push([name, 'missing']);
    else if (!readFileSync(copy).equals(readFileSync(join(source, name)))) drift.push([name, 'differs']);
  }
  for (const name of markdownFiles(target)) {
    if (!canonical.includes(name)) drift.push([name, 'not in references/']);
  }
  return drift;
}

function main(args) {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    stderr.write(`sync-skill: unknown argument ${unknown[0]}\nusage: node scripts/sync-skill.mjs [--check]\n`);
    return 2;
  }
  const drift = findDrift();
  const shown = relative(root, target);
  if (args.includes('--check')) {
    if (drift.length === 0) {
      stdout.write(`sync-skill: ${shown} matches references/\n`);
      return 0;
    }
    stderr.write(`sync-skill: ${shown} has drifted from references/:\n`);
    for (const [name, problem] of drift) stderr.write(`  ${name}: ${problem}\n`);
    stderr.write('Run: node scripts/sync-skill.mjs\n');
    return 1;
  }
  if (drift.length === 0) {
    stdout.write(`sync-skill: ${shown} already up to date\n`);
    return 0;
  }
  mkdirSync(target, { recursive: true });
  for (const [name, problem] of drift) {
    if (problem === 'not in references/') rmSync(join(target, name));
    else writeFileSync(join(target, name), readFileSync(join(source, name)));
    stdout.write(`sync-skill: ${problem === 'not in references/' ? 'removed' : 'wrote'} ${join(shown, name)}\n`);
  }
  return 0;
}

try {
  exit(main(argv.slice(2)));
} catch (error) {
  stderr.write(`sync-skill: ${error instanceof Error ? error.message : String(error)}\n`);
  exit(1);
}
