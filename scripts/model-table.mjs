#!/usr/bin/env node
// Writes the README's per-model table from models/catalogue.json, so the two cannot disagree.
// With --check it changes nothing and exits 1 when the README's table is out of date.
//
//   node scripts/model-table.mjs          rewrite the table between the README's markers
//   node scripts/model-table.mjs --check  verify it (for tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { argv, exit, stderr, stdout } from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- model-table:start -->';
const END = '<!-- model-table:end -->';

const usd = (n) => `$${n}`;
const RATE_NAMES = { input: 'input', output: 'output', cacheWrite5m: '5-minute cache write', cacheWrite1h: '1-hour cache write', cacheRead: 'cache read' };
const tokens = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}K` : String(n));

/** One row per catalogue entry; prices are the newest period, earlier ones in a note. */
export function renderModelTable(catalogue) {
  const rows = [
    `Checked against the platform docs on ${catalogue.checked} ([sources](docs/model-facts.md)); USD per million tokens.`,
    '',
    '| model ids | status | thinking | effort (default) | max output | cache from | input / output | cache write 5m / 1h, read |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const notes = [];
  for (const model of catalogue.models) {
    const current = model.prices.at(-1);
    const effort = model.effort.levels.length ? `${model.effort.levels.join(', ')} (${model.effort.default})` : 'not taken';
    const thinking = model.thinking.default === 'adaptive' ? (model.thinking.accepts.length === 1 ? 'adaptive, always on' : 'adaptive, on by default') : 'off unless asked';
    rows.push(`| ${model.ids.map((id) => `\`${id}\``).join(', ')} | ${model.status} | ${thinking} | ${effort} | ${tokens(model.maxOutput)} | ${model.minCacheTokens} tokens | ${usd(current.input)} / ${usd(current.output)} | ${usd(current.cacheWrite5m)} / ${usd(current.cacheWrite1h)}, ${usd(current.cacheRead)} |`);
    if (current.longPrompt) {
      const l = current.longPrompt;
      notes.push(`${model.name}: a prompt over ${l.above.toLocaleString('en-US')} tokens (cache reads and writes included) bills every token of that request at ${usd(l.input)} / ${usd(l.output)}, writes ${usd(l.cacheWrite5m)} / ${usd(l.cacheWrite1h)}, reads ${usd(l.cacheRead)}.`);
    }
    for (const earlier of model.prices.slice(0, -1)) {
      const changed = Object.keys(current).filter((key) => key !== 'from' && key !== 'longPrompt' && current[key] !== earlier[key]);
      notes.push(`${model.name}: the prices shown apply from ${current.from}; from ${earlier.from} the ${changed.map((key) => `${RATE_NAMES[key] ?? key} was ${usd(earlier[key])}`).join(', ')}.`);
    }
  }
  return [...rows, '', ...notes.map((note) => `- ${note}`)].join('\n');
}

function main(args) {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md has no ${START} … ${END} markers`);
  const table = renderModelTable(JSON.parse(readFileSync(join(root, 'models', 'catalogue.json'), 'utf8')));
  const updated = `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
  if (args.includes('--check')) {
    if (updated === readme) return 0;
    stderr.write('model-table: the README table differs from models/catalogue.json; run: npm run models:table\n');
    return 1;
  }
  writeFileSync(readmePath, updated);
  stdout.write('model-table: README.md updated\n');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    exit(main(argv.slice(2)));
  } catch (error) {
    stderr.write(`model-table: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
  }
}
