/**
 * `mythos check` on transcripts and `mythos calibrate` through the engine against the fake API.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonReply, startFakeApi, type FakeApi, type RecordedRequest } from '../fake-api/index.js';
import { codaReply, judgeReply, preludeReply, promptOf, roundReply, stepOf } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const GOLDEN = join(import.meta.dirname, '..', 'unit', 'golden');

describe('mythos check', () => {
  it('passes a well-formed transcript with exit 0 and one line per check', async () => {
    const result = await runCli(['check', join(GOLDEN, 'trace-converged.md')], { env: cliEnv(null) });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).toMatch(/^PASS [a-z0-9-]+: /);
  });

  it('fails a silent footer over visible rounds with exit 1, naming the check', async () => {
    const text = readFileSync(join(GOLDEN, 'trace-converged.md'), 'utf8').replace(/\*Depth: .*Mode: trace\.\*/, '*Depth: 3 latent passes. Mode: silent. Lens path: Clarify → Deepen → Challenge.*');
    const result = await runCli(['check', '-'], { env: cliEnv(null), stdin: text });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL silent-no-visible-rounds: /m);
  });

  it('judges against --mode and prints --json', async () => {
    const result = await runCli(['check', join(GOLDEN, 'direct.md'), '--mode', 'trace', '--json'], { env: cliEnv(null) });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ mode: 'trace', ok: false });
    expect(report.checks.find((c: { id: string }) => c.id === 'footer-mode-matches').pass).toBe(false);
  });

  it('exits 2 for input it cannot read', async () => {
    const missing = await runCli(['check', '/nonexistent/transcript.md'], { env: cliEnv(null) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('mythos: cannot read /nonexistent/transcript.md (ENOENT)');
    const empty = await runCli(['check', '-'], { env: cliEnv(null), stdin: '  \n' });
    expect(empty.code).toBe(2);
  });
});

/** Answers any calibration case: complexity from the question, distinct insights, kept tensions. */
function calibrationResponder(options: { escalateSqlite?: boolean } = {}) {
  let n = 0;
  return (request: RecordedRequest) => {
    // One responder serves many runs, so every Prelude-shaped request is a Prelude here.
    const step = stepOf(request, false);
    const prompt = promptOf(request);
    if (step === 'prelude') {
      const sqlite = prompt.includes('SQLite');
      return jsonReply(preludeReply(sqlite && !options.escalateSqlite ? { score: 2 } : { score: 4, drivers: ['Hidden assumptions', 'Trade-offs'] }));
    }
    n++;
    if (step === 'round') {
      const round = Number(/Round (\d+) of/.exec(prompt)?.[1] ?? 0);
      const words = ['storage', 'backups', 'framing', 'consent', 'license', 'harm', 'benefit', 'law'];
      return jsonReply(roundReply(`Round ${round} adds a distinct point about ${words[round - 1] ?? 'scope'} and its consequences.`, { convergence: round >= 3 ? 'stable' : 'evolving' }));
    }
    if (step === 'judge') return jsonReply(judgeReply('advances', { self_consistent: true }));
    if (step === 'subagent') return jsonReply({ finding: `Finding ${n} stands on its own.`, confidence: 'medium', stance: n % 2 ? 'yes' : 'no' }, { delayMs: 150 });
    if (step === 'merge') return jsonReply({ convergent_points: ['data matters'], tensions: ['consent vs access'], synthesis: 'Both hold.', divergent_subagents: [], unresolved: false, competing_positions: [] });
    return jsonReply(codaReply('An answer.', ['an assumption']));
  };
}

describe('mythos calibrate', () => {
  it('runs each case in each mode as a user would and writes a passing report', async () => {
    api = await startFakeApi({ responder: calibrationResponder() });
    const out = mkdtempSync(join(tmpdir(), 'mythos-cal-'));
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--out', out], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    const report0 = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('');
    expect(report0).not.toContain('## Failures');
    expect(result.stderr).toMatch(/sqlite-vs-postgres · silent: \d+ passed, 0 failed/);
    expect(result.code).toBe(0);
    const [file] = readdirSync(out);
    expect(file).toMatch(/^calibration-report-\d{8}-\d{4}\.md$/);
    expect(result.stdout.trim()).toBe(join(out, file!));
    const report = readFileSync(join(out, file!), 'utf8');
    expect(report).toContain('| case | mode | invoked as | lens path | depth | convergence | pass | fail |');
    expect(report).toContain('| sqlite-vs-postgres | silent | `/mythos Should I use SQLite or PostgreSQL for a single-user desktop app?` | Clarify → Deepen → Challenge | 3 | converged:self-consistent |');
    expect(report).toMatch(/\| sqlite-vs-postgres \| agent \| `\/mythos deep Should I use SQLite/);
    expect(report).toMatch(/\*\*Total: \d+ passed, 0 failed\.\*\*/);
    // The plain invocation went through the complexity gate; the keyworded ones were forced.
    const preludes = api.requests.filter((r) => stepOf(r, false) === 'prelude').map((r) => promptOf(r));
    expect(preludes.every((p) => !/\b(quick|trace|deep)\b/.test(p.split('<question>')[1] ?? ''))).toBe(true);
  });

  it('fails, with the reason in the report, when a simple question escalates', async () => {
    api = await startFakeApi({ responder: calibrationResponder({ escalateSqlite: true }) });
    const out = mkdtempSync(join(tmpdir(), 'mythos-cal-'));
    const result = await runCli(['calibrate', '--case', 'sqlite-vs-postgres', '--modes', 'silent', '--out', out], { env: cliEnv(api.url, { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(1);
    const report = readFileSync(join(out, readdirSync(out)[0]!), 'utf8');
    expect(report).toContain('### sqlite-vs-postgres · silent');
    expect(report).toMatch(/- FAIL footer-mode-matches: /);
    expect(report).toMatch(/- FAIL expect-mode-is: mode agent; expected: no agent escalation/);
  });

  it('rejects an unknown case with exit 2', async () => {
    const result = await runCli(['calibrate', '--case', 'nope'], { env: cliEnv('http://127.0.0.1:9', { MYTHOS_HOME: tempHome() }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown case nope');
  });
});

