/**
 * `npm run bench:cost`: what one run of each mode costs with each catalogue model at list prices.
 * The built CLI answers the caching calibration question against the fake API's Claude 5.x mode,
 * which sizes prompts at ~4 characters a token and thinks by effort (test/fake-api/claude-5-rules.ts);
 * mythos prices the usage the fake reports. The figures are therefore an estimate of the shape of
 * the bill, not a measurement of a real model: a real model thinks as much as it needs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLAUDE_5_RULES } from '../test/fake-api/claude-5-rules.js';
import { startFakeApi } from '../test/fake-api/index.js';
import { CACHE_QUESTION, MODE_RUNS, steadyResponder } from '../test/helpers/model-runs.js';
import { CLI, cliEnv } from '../test/helpers/run-cli.js';

interface Cell {
  model: string;
  mode: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  thinkingTokens: number;
  costUsd: number;
}

interface RunJson {
  calls: unknown[];
  usage: Record<string, number>;
}

function runJson(args: string[], env: NodeJS.ProcessEnv): Promise<RunJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as RunJson) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

async function main(): Promise<void> {
  const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : 'bench/cost-per-run.json';
  let score = 1;
  const api = await startFakeApi({ emulate: 'claude-5', responder: (request) => steadyResponder(score)(request) });
  const cells: Cell[] = [];
  try {
    for (const model of Object.keys(CLAUDE_5_RULES)) {
      for (const run of MODE_RUNS) {
        score = run.score;
        const home = mkdtempSync(join(tmpdir(), 'mythos-cost-'));
        const json = await runJson([...run.args, '--model', model, '--json', '--quiet', CACHE_QUESTION], cliEnv(api.url, { MYTHOS_HOME: home }));
        const usage = json.usage;
        cells.push({
          model, mode: run.mode, calls: json.calls.length,
          inputTokens: usage.input_tokens! + usage.cache_read_tokens! + usage.cache_write_tokens!,
          outputTokens: usage.output_tokens!, thinkingTokens: usage.thinking_tokens!, costUsd: usage.estimated_cost_usd!,
        });
      }
    }
  } finally {
    await api.close();
  }
  writeFileSync(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), question: CACHE_QUESTION, cells }, null, 2)}\n`);
  const money = (n: number) => (n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);
  const lines = ['| model | direct | silent | trace | agent |', '|---|---|---|---|---|'];
  for (const model of Object.keys(CLAUDE_5_RULES)) {
    const row = MODE_RUNS.map((run) => cells.find((c) => c.model === model && c.mode === run.mode)!);
    lines.push(`| \`${model}\` | ${row.map((c) => `${money(c.costUsd)} (${c.calls} calls)`).join(' | ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\nWritten to ${out}\n`);
  if (process.argv.includes('--readme')) {
    const readme = readFileSync('README.md', 'utf8');
    const [start, end] = ['<!-- cost-table:start -->', '<!-- cost-table:end -->'];
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from === -1 || to === -1) throw new Error(`README.md has no ${start} … ${end} markers`);
    writeFileSync('README.md', `${readme.slice(0, from + start.length)}\n${lines.join('\n')}\n${readme.slice(to)}`);
    process.stdout.write('README.md updated\n');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
