/**
 * install/calibrate.sh, the guided calibration runner, driven non-interactively (answers files,
 * stdin, a scripted dialogue). Its reports are compared with renderCalibrationReport fed the
 * same results, so the script and `mythos calibrate` cannot drift apart. calibrate.ps1 cannot
 * run here (no PowerShell on this machine); it is held to ASCII and LF only.
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyExpectations, checkTranscript, lensSequence, loadCalibrationCases, parseTranscript, renderCalibrationReport,
  type CalibrationResult, type Check, type CheckMode, type ParsedTranscript,
} from '../../src/check/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'install', 'calibrate.sh');
const GOLDEN = join(ROOT, 'test', 'unit', 'golden');
const FIXTURES = join(ROOT, 'test', 'check', 'fixtures');
const SOURCE = '`install/calibrate.sh` in Claude Code';
const CASES = new Map(loadCalibrationCases().cases.map((c) => [c.id, c]));
type Mode = Exclude<CheckMode, 'direct'>;

const scratch = mkdtempSync(join(tmpdir(), 'mythos-calibrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
/** For tests that run the script several times: each run forks a few hundred times, slow on a busy box. */
const SLOW = 180_000;
function freshDir(): string {
  const dir = join(scratch, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
}

beforeAll(() => {
  // The transcript route judges through the built CLI; `npm test` builds first, a lone run may not.
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.cjs'))) execSync('npm run build', { cwd: ROOT, stdio: 'ignore' });
}, 180_000);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The one report written to the out dir, or null. */
  report: string | null;
}

function run(args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Run {
  const out = freshDir();
  const env: NodeJS.ProcessEnv = { ...process.env, MYTHOS_JSON_READER: undefined, MYTHOS_CLI: undefined, MYTHOS_CALIBRATE_INTERACTIVE: undefined };
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const result = spawnSync('bash', [SCRIPT, '--out', out, ...args], { encoding: 'utf8', env, input: options.input ?? '' });
  const reports = readdirSync(out).filter((name) => /^calibration-report-\d{8}-\d{4}\.md$/.test(name));
  expect(reports.length).toBeLessThanOrEqual(1);
  const report = reports[0] ? readFileSync(join(out, reports[0]), 'utf8') : null;
  if (report) expect(result.stdout).toBe(`${join(out, reports[0]!)}\n`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, report };
}

function answersFile(text: string): string {
  const path = join(freshDir(), 'answers.txt');
  writeFileSync(path, text);
  return path;
}

/** The minute the script stamped its report with, for rendering the same report through the CLI code. */
function generatedAt(report: string): Date {
  const m = /^Generated (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC from /m.exec(report);
  expect(m, 'Generated line').not.toBeNull();
  return new Date(`${m![1]}T${m![2]}:00Z`);
}

function invocation(caseId: string, mode: Mode): string {
  const c = CASES.get(caseId)!;
  return `/mythos ${c.invoke[mode] ? `${c.invoke[mode]} ` : ''}${c.question}`;
}

interface Answers {
  caseId: string;
  mode: Mode;
  observed: CheckMode;
  lenses: string[];
  depth: number | null;
  convergence: string;
  dispatch: 'parallel' | 'sequential' | 'n/a';
  tensions: 'y' | 'n' | 'n/a';
}

function block(a: Answers, lensSeparator = ', '): string {
  return [
    `case: ${a.caseId}`, `mode: ${a.mode}`, `observed-mode: ${a.observed}`, `lens-path: ${a.lenses.join(lensSeparator)}`,
    `depth: ${a.depth ?? 'unknown'}`, `convergence: ${a.convergence}`, `dispatch: ${a.dispatch}`, `tensions: ${a.tensions}`, '---',
  ].join('\n');
}

/** The agent-concurrent check as the script words it from the dispatch answer. */
function concurrent(dispatch: string): Check {
  if (dispatch === 'parallel') return { id: 'agent-concurrent', pass: true, detail: 'subagents were seen running in parallel' };
  if (dispatch === 'sequential') {
    return { id: 'agent-concurrent', pass: false, detail: 'subagents ran one after another; parallel dispatch is the whole point of agent mode' };
  }
  return { id: 'agent-concurrent', pass: false, detail: 'dispatch not observed (parallel or sequential?)' };
}

/**
 * What the CLI's own expectation code makes of the same answers: a transcript with the observed
 * mode, one round or subagent per lens, and a Merge when tensions were answered.
 */
function expectedFromAnswers(a: Answers): CalibrationResult {
  const section = (lens: string) => ({ lens, lensKnown: true, heading: lens, fields: {} });
  const t: ParsedTranscript = {
    footer: { line: '', mode: a.observed, depthText: '', depth: a.depth, unit: null, stop: null, count: null, lensPath: a.lenses },
    loadBearing: null, notes: [], preludes: [], dispatch: null,
    rounds: a.observed === 'trace' ? a.lenses.map((lens, i) => ({ number: i + 1, ...section(lens), chain: null })) : [],
    subagents: a.observed === 'agent' ? a.lenses.map((lens, i) => ({ letter: String.fromCharCode(65 + i), ...section(lens) })) : [],
    merge: a.tensions === 'n/a' ? null : { fields: { tensions: a.tensions === 'y' ? 'kept (observed in Claude Code)' : 'none' } },
    answer: { present: true, text: '' },
  };
  const checks = applyExpectations(t, CASES.get(a.caseId)!.expect[a.mode]);
  if (a.mode === 'agent' && a.observed === 'agent') checks.push(concurrent(a.dispatch));
  return {
    caseId: a.caseId, mode: a.mode, invocation: invocation(a.caseId, a.mode), lensPath: lensSequence(t), depth: a.depth,
    convergence: a.convergence, checks,
  };
}

/** The convergence cell the script derives from a transcript's footer (the CLI uses its run record). */
function footerConvergence(t: ParsedTranscript): string {
  const f = t.footer;
  if (f?.stop) return `${f.stop.kind} at round ${f.stop.round}${f.stop.reason ? `: ${f.stop.reason}` : ''}`;
  if (f?.unit === 'parallel-subagents') return /not merged$/i.test(f.depthText) ? 'not merged' : 'merged';
  return 'unknown';
}

const NO_CLI: Check = { id: 'mythos-check', pass: false, detail: 'not run: no mythos CLI (npm run build in this checkout, or put mythos on PATH)' };

/** What `mythos calibrate` would report for a transcript: check, expectations, dispatch answer. */
function expectedFromTranscript(caseId: string, mode: Mode, file: string, dispatch = 'n/a', cli = true): CalibrationResult {
  const markdown = readFileSync(resolve(GOLDEN, file), 'utf8');
  const t = parseTranscript(markdown);
  const checked = cli ? checkTranscript(markdown, { mode }).checks : [NO_CLI];
  const checks = [...checked, ...applyExpectations(t, CASES.get(caseId)!.expect[mode])];
  if (mode === 'agent' && t.footer?.mode === 'agent') checks.push(concurrent(dispatch));
  return {
    caseId, mode, invocation: invocation(caseId, mode), lensPath: lensSequence(t), depth: t.footer?.depth ?? null,
    convergence: footerConvergence(t), checks,
  };
}

const rendered = (results: CalibrationResult[], report: string) =>
  renderCalibrationReport(results, { generatedAt: generatedAt(report), source: SOURCE });

const SQLITE_PASS: Answers[] = [
  { caseId: 'sqlite-vs-postgres', mode: 'silent', observed: 'silent', lenses: ['Clarify', 'Deepen', 'Challenge'], depth: 3, convergence: 'converged', dispatch: 'n/a', tensions: 'n/a' },
  { caseId: 'sqlite-vs-postgres', mode: 'trace', observed: 'trace', lenses: ['Clarify', 'Challenge', 'Synthesize'], depth: 3, convergence: 'converged', dispatch: 'n/a', tensions: 'n/a' },
  { caseId: 'sqlite-vs-postgres', mode: 'agent', observed: 'agent', lenses: ['Clarify', 'Challenge', 'Tradeoff-Map'], depth: 3, convergence: 'unknown', dispatch: 'parallel', tensions: 'y' },
];

const VIOLATIONS: Answers[] = [
  // Silent with five lenses where at most three belong.
  { caseId: 'sqlite-vs-postgres', mode: 'silent', observed: 'silent', lenses: ['Clarify', 'Deepen', 'Challenge', 'Expand', 'Synthesize'], depth: 5, convergence: 'stopped', dispatch: 'n/a', tensions: 'n/a' },
  // Agent dispatched sequentially, too few subagents, no tension kept.
  { caseId: 'pivot-or-stay', mode: 'agent', observed: 'agent', lenses: ['Clarify', 'Tradeoff-Map', 'Scar-Tissue', 'Invert'], depth: 4, convergence: 'unknown', dispatch: 'sequential', tensions: 'n' },
  // Trace that escalated to agent, and a trace that ends on Challenge.
  { caseId: 'code-review-10x', mode: 'trace', observed: 'trace', lenses: ['Clarify', 'Deepen', 'Challenge'], depth: 3, convergence: 'converged', dispatch: 'n/a', tensions: 'n/a' },
  { caseId: 'read-heavy-caching', mode: 'trace', observed: 'agent', lenses: ['Clarify', 'Edge-Hunt'], depth: 2, convergence: 'unknown', dispatch: 'parallel', tensions: 'n/a' },
];

describe('calibrate.sh with an answers file', () => {
  it('passes a case answered to expectation: exit 0, one row per mode, right totals', () => {
    const r = run(['--case', 'sqlite-vs-postgres', '--answers', answersFile(SQLITE_PASS.map((a) => block(a)).join('\n'))]);
    expect(r.stderr).not.toContain('calibrate.sh:');
    expect(r.status).toBe(0);
    const report = r.report!;
    expect(report).toContain(
      '| sqlite-vs-postgres | silent | `/mythos Should I use SQLite or PostgreSQL for a single-user desktop app?` | Clarify → Deepen → Challenge | 3 | converged | 2 | 0 |',
    );
    expect(report).toContain('| sqlite-vs-postgres | agent | `/mythos deep Should I use SQLite or PostgreSQL for a single-user desktop app?` | Clarify → Challenge → Tradeoff-Map | 3 | unknown | 3 | 0 |');
    expect(report).toContain('**Total: 8 passed, 0 failed.**');
    expect(report).not.toContain('## Failures');
    expect(r.stderr).toContain('sqlite-vs-postgres · agent: 3 passed, 0 failed');
  });

  it('fails answers that break expectations: exit 1 and the FAIL lines', () => {
    const r = run(['--answers', answersFile(VIOLATIONS.map((a) => block(a, ' -> ')).join('\n'))]);
    expect(r.status).toBe(1);
    const report = r.report!;
    expect(report).toContain('### sqlite-vs-postgres · silent\n\n- FAIL expect-max-lenses: 5 lenses (at most 3); expected: ≤3 lens path\n');
    expect(report).toContain('- FAIL agent-concurrent: subagents ran one after another; parallel dispatch is the whole point of agent mode');
    expect(report).toContain('- FAIL expect-min-subagents: 4 subagents (at least 5); expected: Clarify + Tradeoff-Map');
    expect(report).toContain('- FAIL expect-nonempty-tensions: Tensions: none; expected: merge surfaces tension between "pivot" and "stay"');
    expect(report).toContain('- FAIL expect-last-lens-is-synthesize: last lens Challenge; expected: framing assumption visible in final Synthesize');
    expect(report).toContain('### read-heavy-caching · trace\n\n- FAIL expect-mode-is: mode agent; expected: trace keyword forces visible rounds\n');
    // Cases and modes without a block are skipped, not failed.
    expect(report).not.toContain('| ai-training-consent |');
    expect(r.stderr).toContain('ai-training-consent · silent: no answers; skipped');
  });

  it('writes exactly what renderCalibrationReport renders for the same answers', () => {
    const answers = [...SQLITE_PASS.slice(1), ...VIOLATIONS];
    const r = run(['--answers', answersFile(answers.map((a) => block(a)).join('\n'))]);
    expect(r.status).toBe(1);
    const cases = [...CASES.keys()];
    const order = (a: Answers) => cases.indexOf(a.caseId) * 3 + ['silent', 'trace', 'agent'].indexOf(a.mode);
    const expected = rendered([...answers].sort((x, y) => order(x) - order(y)).map(expectedFromAnswers), r.report!);
    const lines = (text: string) => text.split('\n');
    const header = '| case | mode | invoked as | lens path | depth | convergence | pass | fail |';
    expect(lines(r.report!)).toContain(header);
    expect(lines(r.report!).filter((l) => l.startsWith('| sqlite-vs-postgres | trace |'))).toEqual(
      lines(expected).filter((l) => l.startsWith('| sqlite-vs-postgres | trace |')),
    );
    expect(lines(r.report!).find((l) => l.startsWith('**Total:'))).toBe(lines(expected).find((l) => l.startsWith('**Total:')));
    expect(r.report).toBe(expected);
  }, SLOW);

  it('reads the answers from stdin when stdin is not a terminal', () => {
    const input = block(SQLITE_PASS[0]!).replace('observed-mode: silent', 'Observed-Mode: SILENT');
    const r = run(['--case', 'sqlite-vs-postgres', '--modes', 'silent'], { input });
    expect(r.status).toBe(0);
    expect(r.report).toContain('**Total: 2 passed, 0 failed.**');
  });

  it('the three JSON readers produce the same report', () => {
    // The readers flatten both the cases and `mythos check --json`: one block of each route.
    const file = answersFile([
      block(VIOLATIONS[1]!), `case: sqlite-vs-postgres\nmode: trace\ntranscript-file: ${join(GOLDEN, 'silent.md')}`,
    ].join('\n'));
    const readers = ['node', 'python3', 'jq'].filter((r) => spawnSync('sh', ['-c', `command -v ${r}`]).status === 0);
    const bodies = readers.map((reader) => {
      const r = run(['--answers', file], { env: { MYTHOS_JSON_READER: reader } });
      expect(r.status, reader).toBe(1);
      return r.report!.replace(/^Generated .*$/m, '');
    });
    expect(readers).toContain('node');
    for (const body of bodies) expect(body).toBe(bodies[0]);
  }, SLOW);
});

describe('calibrate.sh judging transcripts', () => {
  it('runs `mythos check` on transcript-file blocks and reports what the CLI would', () => {
    const dir = freshDir();
    for (const name of ['silent.md', 'trace-converged.md', 'agent-unresolved.md']) writeFileSync(join(dir, name), readFileSync(join(GOLDEN, name)));
    const answers = join(dir, 'answers.txt');
    writeFileSync(answers, [
      'case: sqlite-vs-postgres', 'mode: silent', 'transcript-file: silent.md', '---',
      // Judged as silent, a trace transcript fails mythos check's silent rules.
      'case: sqlite-vs-postgres', 'mode: trace', 'transcript-file: silent.md', '---',
      'case: code-review-10x', 'mode: trace', 'transcript-file: trace-converged.md', '---',
      'case: ai-training-consent', 'mode: agent', `transcript-file: ${join(dir, 'agent-unresolved.md')}`, 'dispatch: parallel',
    ].join('\n'));
    const r = run(['--answers', answers]);
    expect(r.status).toBe(1);
    const report = r.report!;
    expect(report).toContain('- FAIL trace-footer:');
    expect(report).toContain('- FAIL footer-mode-matches:');
    expect(report).toContain('- FAIL expect-lens-count-at-least-steelman: 0 × Steelman (at least 2)');
    expect(report).toBe(rendered([
      expectedFromTranscript('sqlite-vs-postgres', 'silent', 'silent.md'),
      expectedFromTranscript('sqlite-vs-postgres', 'trace', 'silent.md'),
      expectedFromTranscript('code-review-10x', 'trace', 'trace-converged.md'),
      expectedFromTranscript('ai-training-consent', 'agent', 'agent-unresolved.md', 'parallel'),
    ], report));
  }, SLOW);

  it('reads every fixture transcript as parseTranscript does', () => {
    const files = [FIXTURES, GOLDEN].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => join(dir, f)));
    const modeOf = (path: string): Mode => {
      const name = path.split('/').at(-1)!;
      return name.startsWith('agent') ? 'agent' : name.startsWith('trace') ? 'trace' : 'silent';
    };
    // Each run takes at most one transcript per case x mode; the rest go to the next run.
    const ids = [...CASES.keys()];
    const runs: Array<Array<{ caseId: string; mode: Mode; path: string }>> = [];
    const used = new Map<Mode, number>();
    for (const path of files) {
      const mode = modeOf(path);
      const n = used.get(mode) ?? 0;
      used.set(mode, n + 1);
      (runs[Math.floor(n / ids.length)] ??= []).push({ caseId: ids[n % ids.length]!, mode, path });
    }
    expect(files.length).toBeGreaterThan(20);
    for (const slots of runs) {
      const text = slots.map((s) => `case: ${s.caseId}\nmode: ${s.mode}\ntranscript-file: ${s.path}\ndispatch: parallel\n---`).join('\n');
      const r = run(['--answers', answersFile(text)], { env: { MYTHOS_CLI: 'none' } });
      expect(r.status).toBe(1);
      const order = (s: (typeof slots)[number]) => ids.indexOf(s.caseId) * 3 + ['silent', 'trace', 'agent'].indexOf(s.mode);
      const expected = [...slots].sort((a, b) => order(a) - order(b))
        .map((s) => expectedFromTranscript(s.caseId, s.mode, s.path, 'parallel', false));
      expect(r.report).toBe(rendered(expected, r.report!));
    }
  }, SLOW);

  it('says so in the report when no mythos CLI can judge a transcript', () => {
    const file = answersFile(`case: sqlite-vs-postgres\nmode: silent\ntranscript-file: ${join(GOLDEN, 'silent.md')}\n`);
    const r = run(['--answers', file], { env: { MYTHOS_CLI: 'none' } });
    expect(r.status).toBe(1);
    expect(r.report).toContain('- FAIL mythos-check: not run: no mythos CLI');
    expect(r.report).toContain('| Clarify → Deepen → Challenge | 3 | unknown | 2 | 1 |');
  });
});

describe('calibrate.sh as a guided dialogue', () => {
  it('prints the line to paste, takes a pasted reply ended by END, answers, or a skip', () => {
    const transcript = readFileSync(join(GOLDEN, 'agent-unresolved.md'), 'utf8');
    const input = [
      // sqlite silent: questions.
      'a', 'silent', 'Clarify -> Deepen -> Challenge', '3', 'converged',
      // sqlite agent: a pasted reply (with Claude Code's reply marker), then the dispatch question.
      '', `⏺ ${transcript.trimEnd()}`, 'END', 'sideways', 'parallel',
      // pivot silent: skipped.
      's',
      // pivot agent: questions, with one invalid answer asked again.
      'a', 'maybe', 'agent', 'Clarify, Tradeoff-Map, Scar-Tissue, Invert, Synthesize', '5', 'unknown', 'parallel', 'y',
    ].join('\n');
    const r = run(['--case', 'sqlite-vs-postgres', '--case', 'pivot-or-stay', '--modes', 'silent,agent'], {
      input: `${input}\n`, env: { MYTHOS_CALIBRATE_INTERACTIVE: '1' },
    });
    expect(r.stderr).toContain('  /mythos deep Should I use SQLite or PostgreSQL for a single-user desktop app?');
    expect(r.stderr).toContain('  /mythos quick Our startup has 3 months of runway');
    expect(r.stderr).toContain('== pivot-or-stay · agent (4 of 4)');
    expect(r.stderr).toContain('Please answer direct, silent, trace or agent.');
    expect(r.stderr).toContain('Please answer parallel, sequential or n/a.');
    expect(r.status).toBe(0);
    const report = r.report!;
    expect(report).toContain('| sqlite-vs-postgres | silent | `/mythos Should I use SQLite or PostgreSQL for a single-user desktop app?` | Clarify → Deepen → Challenge | 3 | converged | 2 | 0 |');
    const agentRow = rendered([expectedFromTranscript('sqlite-vs-postgres', 'agent', 'agent-unresolved.md', 'parallel')], report)
      .split('\n').find((l) => l.startsWith('| sqlite-vs-postgres | agent |'));
    expect(report.split('\n')).toContain(agentRow);
    expect(report).not.toContain('| pivot-or-stay | silent |');
    expect(report).toContain('| pivot-or-stay | agent | `/mythos deep Our startup');
  });

  it('stops without a report when the input ends mid-session', () => {
    const r = run(['--case', 'sqlite-vs-postgres'], { input: 'a\nsilent\n', env: { MYTHOS_CALIBRATE_INTERACTIVE: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('input ended before calibration finished; no report written');
    expect(r.report).toBeNull();
  });
});

describe('calibrate.sh usage errors exit 2', () => {
  const file = () => answersFile(block(SQLITE_PASS[0]!));

  it('an unknown case id', () => {
    const r = run(['--case', 'no-such-case', '--answers', file()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown case no-such-case (cases: sqlite-vs-postgres, pivot-or-stay, read-heavy-caching, code-review-10x, ai-training-consent)');
    expect(r.report).toBeNull();
  });

  it('an unknown mode, an unknown option, a missing value', () => {
    expect(run(['--modes', 'silent,deep', '--answers', file()]).stderr).toContain('--modes takes silent, trace and agent; got "deep"');
    const unknown = run(['--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option: --frobnicate');
    expect(unknown.stderr).toContain('Usage:');
    expect(run(['--case']).status).toBe(2);
  });

  it('bad answers files name the line', () => {
    const cases: Array<[string, string]> = [
      ['case: sqlite-vs-postgres\nmode: silent\nobserved-mode: quiet\n', 'line 3: observed-mode takes direct, silent, trace or agent; got "quiet"'],
      ['case: sqlite-vs-postgres\nmode: silent\nrounds: 3\n', 'line 3: unknown key rounds'],
      ['case: nope\n', 'line 1: unknown case nope'],
      ['case: sqlite-vs-postgres\nmode: silent\ndepth: 3\n', 'needs observed-mode: or transcript-file:'],
      ['case: sqlite-vs-postgres\nmode: silent\ntranscript-file: absent.md\n', 'line 3: transcript file not found: absent.md'],
    ];
    for (const [text, message] of cases) {
      const r = run(['--answers', answersFile(text)]);
      expect(r.status, text).toBe(2);
      expect(r.stderr).toContain(message);
    }
  }, SLOW);

  it('--help documents the answers file and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const key of ['observed-mode', 'lens-path', 'depth', 'convergence', 'dispatch', 'tensions', 'transcript-file', 'MYTHOS_JSON_READER']) {
      expect(r.stdout).toContain(key);
    }
  });
});

describe('calibrate.sh without node', () => {
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const tools = ['bash', 'awk', 'sed', 'grep', 'tr', 'date', 'mktemp', 'rm', 'cat', 'dirname', 'mkdir', 'head', 'tail'];

  /** A PATH holding only the tools the script needs, plus the given extras. */
  function bareBin(extra: Record<string, string>): string {
    const bin = freshDir();
    for (const tool of tools) {
      const path = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(path, join(bin, tool));
    }
    for (const [name, target] of Object.entries(extra)) symlinkSync(target, join(bin, name));
    return bin;
  }

  it('MYTHOS_JSON_READER=python3 is honoured', () => {
    const r = run(['--case', 'sqlite-vs-postgres', '--answers', answersFile(SQLITE_PASS.map((a) => block(a)).join('\n'))], {
      env: { MYTHOS_JSON_READER: 'python3' },
    });
    expect(r.status).toBe(0);
    expect(r.report).toContain('**Total: 8 passed, 0 failed.**');
  });

  it.skipIf(python.status !== 0)('reads the cases with python3 when node is not on PATH', () => {
    const bin = bareBin({ python3: python.stdout.trim() });
    const r = run(['--case', 'sqlite-vs-postgres', '--answers', answersFile(VIOLATIONS.slice(0, 1).map((a) => block(a)).join('\n'))], {
      env: { PATH: bin },
    });
    expect(r.stderr).not.toContain('command not found');
    expect(r.status).toBe(1);
    expect(r.report).toContain('- FAIL expect-max-lenses: 5 lenses (at most 3); expected: ≤3 lens path');
  });

  it('exits 2 naming the readers when none is on PATH', () => {
    const r = run(['--answers', answersFile(block(SQLITE_PASS[0]!))], { env: { PATH: bareBin({}) } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs node, python3 or jq on PATH');
  });
});

describe('calibration scripts are clean', () => {
  it('calibrate.sh passes shellcheck', () => {
    const result = spawnSync('shellcheck', [SCRIPT], { encoding: 'utf8' });
    if (result.error) {
      throw new Error('shellcheck is not installed. Install it (apt-get install -y shellcheck, or brew install shellcheck) and rerun.');
    }
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['calibrate.ps1', 'calibrate.sh'])('%s is ASCII-only with LF line endings', (name) => {
    const bytes = readFileSync(join(ROOT, 'install', name));
    const offending = [...bytes.entries()].filter(([, byte]) => byte > 0x7f || byte === 0x0d).map(([index]) => index);
    expect(offending).toEqual([]);
  });

  it('neither script copies the cases: every case id and question lives in calibration/cases.json', () => {
    for (const name of ['calibrate.ps1', 'calibrate.sh']) {
      const text = readFileSync(join(ROOT, 'install', name), 'utf8');
      for (const c of CASES.values()) expect(text, name).not.toContain(c.question.slice(0, 30));
    }
  });
});
