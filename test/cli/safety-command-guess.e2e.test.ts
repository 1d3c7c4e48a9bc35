/**
 * Words that look like a command never become a paid question: command names in any case, a
 * mode word in front of one, close typos, and other CLIs' verbs on a short line are refused (or,
 * for a bare help or version, answered); options typed with a Unicode dash are refused; after
 * `--` every word is the question, keywords included. Real short questions still run.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FakeApi } from '../fake-api/index.js';
import { promptOf } from '../helpers/mythos-script.js';
import { useDirectRun, runCli } from '../helpers/run-cli.js';
import { onlyRunEvents } from '../helpers/run-logs.js';
import { VERSION } from '../../src/cli/version.cjs';

let api: FakeApi;
let home: string;
let env: NodeJS.ProcessEnv;

useDirectRun((fixture) => ({ api, home, env } = fixture));

/** Exit 2, a `mythos:` line and a `hint:` line, nothing on stdout, nothing paid, nothing written. */
async function refused(args: string[]) {
  const result = await runCli(args, { env });
  expect(result.code).toBe(2);
  expect(api.requests.length).toBe(0);
  expect(readdirSync(home)).toEqual([]);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mythos: /);
  expect(lines[1]).toMatch(/^hint: /);
  return { message: lines[0]!.slice('mythos: '.length), hint: lines[1]!.slice('hint: '.length) };
}

describe('a short line that looks like a command is refused, naming the command and the question form', () => {
  it.each([
    [['run'], '"run" is not a mythos command', 'a question needs no command word', 'mythos -- run'],
    [['run', 'Should we adopt Conventional Commits?'], '"run" is not a mythos command', 'mythos "Should we adopt Conventional Commits?"', 'mythos -- run "Should we adopt Conventional Commits?"'],
    [['list'], '"list" is not a mythos command', 'recent runs: mythos runs', 'mythos -- list'],
    [['ls'], '"ls" is not a mythos command', 'recent runs: mythos runs', 'mythos -- ls'],
    [['status'], '"status" is not a mythos command', 'recent runs: mythos runs', 'mythos -- status'],
    [['history'], '"history" is not a mythos command', 'recent runs: mythos runs', 'mythos -- history'],
    [['log', 'last'], '"log" is not a mythos command', 'the newest: mythos show last', 'mythos -- log last'],
    [['init'], '"init" is not a mythos command', 'mythos needs no set-up', 'mythos -- init'],
    [['help', 'me'], '"help" is not a mythos command', 'for help: mythos --help', 'mythos -- help me'],
    [['shwo', 'last'], '"shwo" is not a mythos command; did you mean show?', 'for the command: mythos show last', 'mythos -- shwo last'],
    [['resum', 'last'], '"resum" is not a mythos command; did you mean resume?', 'for the command: mythos resume last', 'mythos -- resum last'],
    [['calibrat'], '"calibrat" is not a mythos command; did you mean calibrate?', 'for the command: mythos calibrate', 'mythos -- calibrat'],
    [['Chekc', 'a.md'], '"Chekc" is not a mythos command; did you mean check?', 'for the command: mythos check a.md', 'mythos -- Chekc a.md'],
    [['res', 'last'], 'did you mean residue or resume?', 'mythos residue last or mythos resume last', 'mythos -- res last'],
    [['quick', 'show', 'lastt'], '"quick" cannot go before the command "show"', 'for the command: mythos show lastt', 'mythos quick -- show lastt'],
    [['trace', 'runs', 'abc'], '"trace" cannot go before the command "runs"', 'for the command: mythos runs abc', 'mythos trace -- runs abc'],
    [['deep', 'shwo', 'last'], 'did you mean show?', 'for the command: mythos show last', 'mythos deep -- shwo last'],
    [['show last'], '"show last" looks like a command, not a question', 'for the command: mythos show last', 'mythos -- "show last"'],
    [['--json', 'status'], '"status" is not a mythos command', 'recent runs: mythos runs', 'mythos -- status'],
  ])('mythos %j', async (args, message, likely, asQuestion) => {
    const result = args.includes('--json') ? await jsonRefusal(args) : await refused(args);
    expect(result.message).toContain(message);
    expect(result.hint).toContain(likely);
    expect(result.hint).toContain(`put -- first: ${asQuestion} (or pipe it on stdin)`);
  });

  async function jsonRefusal(args: string[]) {
    const result = await runCli(args, { env });
    expect(result.code).toBe(2);
    expect(api.requests.length).toBe(0);
    const { error } = JSON.parse(result.stdout);
    expect(error.exitCode).toBe(2);
    return error as { message: string; hint: string };
  }

  it('the question form the hint gives is asked as it is', async () => {
    const result = await runCli(['quick', '--', 'show', 'lastt'], { env });
    expect(result.code).toBe(0);
    expect(api.requests.length).toBe(2);
    expect(promptOf(api.requests[0]!)).toContain('show lastt');
    expect(onlyRunEvents(home)[0]).toMatchObject({ type: 'run.start', question: 'show lastt', options: { keyword: 'quick' } });
  });
});

describe('a command name in any case is the command', () => {
  it('SHOW lastt is show, refused for its id; Show last shows the newest run with no request', async () => {
    const typo = await refused(['SHOW', 'lastt']);
    expect(typo.message).toBe('"lastt" is not a run id (they look like 20261205-115501-ab12) or "last"');
    expect((await runCli(['Is water wet?'], { env })).code).toBe(0);
    const paid = api.requests.length;
    const shown = await runCli(['Show', 'last'], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Like this.');
    expect(api.requests.length).toBe(paid);
  });
});

describe('a bare help or version answers, paying nothing', () => {
  it.each([
    [['help'], 'Usage: mythos [options]'],
    [['HELP'], 'Usage: mythos [options]'],
    [['help', 'show'], 'Usage: mythos show [options] <id|last>'],
    [['help', 'calibrate'], 'Usage: mythos calibrate [options]'],
    [['version'], `${VERSION}\n`],
  ])('mythos %j', async (args, out) => {
    const result = await runCli(args, { env });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(out)).toBe(true);
    expect(result.stderr).toBe('');
    expect(api.requests.length).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('real questions are left alone', () => {
  it.each([
    ['Is water wet?'], ['how are you'], ['slow internet?'], ['Shop or build?'], ['Checks and balances?'],
    ['Show me how to center a div in CSS'], ['List the trade-offs of SQLite and Postgres'], ['Help me pick a laptop for travel'],
  ])('mythos %j is asked', async (question) => {
    const result = await runCli([question], { env });
    expect(result.code).toBe(0);
    expect(api.requests.length).toBe(2);
    expect(promptOf(api.requests[0]!)).toContain(question);
  });

  it('and so is a long unquoted one after a mode word', async () => {
    const result = await runCli(['quick', 'show', 'me', 'why', 'the', 'build', 'is', 'slow'], { env });
    expect(result.code).toBe(0);
    expect(promptOf(api.requests[0]!)).toContain('show me why the build is slow');
  });
});

describe('options typed with a Unicode dash', () => {
  it.each([
    [['\u2014max-cost', '0.01', 'Is water wet?'], 0, 'an em dash (U+2014)', 'did you mean --max-cost?'],
    [['\u2013dry-run', 'Is water wet?'], 0, 'an en dash (U+2013)', 'did you mean --dry-run?'],
    [['Is water wet?', '\u2014max-cost=0.01'], 1, 'an em dash (U+2014)', 'did you mean --max-cost?'],
    [['\u2212\u2212max-tokens', '100', 'Is water wet?'], 0, 'a minus sign (U+2212)', 'did you mean --max-tokens?'],
    [['-\u2013quiet', 'Is water wet?'], 0, 'an en dash (U+2013)', 'did you mean --quiet?'],
    [['\u2013q', 'Is water wet?'], 0, 'an en dash (U+2013)', 'did you mean -q?'],
    [['\uFF0Djson', 'Is water wet?'], 0, 'a dash-like character (U+FF0D)', 'did you mean --json?'],
    [['show', '\u2014full', 'last'], 1, 'an em dash (U+2014)', 'did you mean --full?'],
  ])('mythos %j: exit 2, nothing paid', async (args, at, dash, hint) => {
    const result = await refused(args);
    expect(result.message).toBe(`"${args[at]}" starts with ${dash}, not ASCII hyphens, so it is not an option`);
    expect(result.hint).toContain(hint);
  });

  it('a question that starts with such a dash is pointed at --, not at an option', async () => {
    const result = await refused(['\u2014Well, is it?']);
    expect(result.message).toBe('"\u2014Well, is it?" starts with an em dash (U+2014), not ASCII hyphens, so it is not an option');
    expect(result.hint).toBe('a question that starts with a dash goes after --: mythos -- "\u2014Well, is it?"');
  });

  it('after --, or before a digit, such a dash is part of the question', async () => {
    for (const args of [['--', '\u2014max-cost is a flag?'], ['\u22121 or +1?']]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(0);
    }
    expect(api.requests.map(promptOf).filter((p) => p.includes('\u2014max-cost is a flag?') || p.includes('\u22121 or +1?'))).toHaveLength(4);
  });
});

describe('after --, every word is the question', () => {
  it('a mode keyword after -- is a question word: no agent mode, nothing dropped', async () => {
    const question = 'deep learning or gradient boosting for tabular data?';
    const result = await runCli(['--', ...question.split(' ')], { env });
    expect(result.code).toBe(0);
    expect(api.requests.length).toBe(2); // Prelude and a direct answer, not a fan-out
    expect(promptOf(api.requests[0]!)).toContain(question);
    expect(onlyRunEvents(home)[0]).toMatchObject({ type: 'run.start', question, options: { keyword: null } });
  });

  it('`mythos -- trace` asks "trace"', async () => {
    const result = await runCli(['--', 'trace'], { env });
    expect(result.code).toBe(0);
    expect(onlyRunEvents(home)[0]).toMatchObject({ question: 'trace', options: { keyword: null } });
  });

  it('a keyword before -- still picks the mode; one after it is the question', async () => {
    const result = await runCli(['quick', '--', 'trace', 'or', 'deep', 'dive?'], { env });
    expect(result.code).toBe(0);
    expect(onlyRunEvents(home)[0]).toMatchObject({ question: 'trace or deep dive?', options: { keyword: 'quick' } });
  });
});
