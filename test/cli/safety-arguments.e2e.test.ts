/**
 * Arguments that are not what they look like are refused before anything is paid, each with one
 * `mythos:` line and a hint: numbers that are not plain decimals, a bad MYTHOS_MAX_QUESTION (only
 * where a question is read), and every option error Commander finds, in every command.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FakeApi } from '../fake-api/index.js';
import { useDirectRun, runCli } from '../helpers/run-cli.js';

let api: FakeApi;
let home: string;
let env: NodeJS.ProcessEnv;

useDirectRun((fixture) => ({ api, home, env } = fixture));

/** Exit 2, one `mythos:` line and one `hint:` line on stderr, nothing on stdout, nothing paid, nothing written. */
async function refused(args: string[], extraEnv: Record<string, string> = {}) {
  const result = await runCli(args, { env: { ...env, ...extraEnv } });
  expect(result.code).toBe(2);
  expect(api.requests.length).toBe(0);
  expect(readdirSync(home)).toEqual([]);
  if (!args.includes('--json')) expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mythos: /);
  expect(lines[1]).toMatch(/^hint: /);
  return { ...result, message: lines[0]!.slice('mythos: '.length), hint: lines[1]!.slice('hint: '.length) };
}

describe('numbers are plain decimals', () => {
  it.each([
    [['--max-cost', '0x10'], '--max-cost must be a positive number, got "0x10"', 'plain decimal'],
    [['--max-cost', '1e2'], 'got "1e2"', 'plain decimal'],
    [['--max-cost', '-1'], 'got "-1"', 'plain decimal'],
    [['--max-cost', 'abc'], 'got "abc"', 'plain decimal'],
    [['--max-cost='], 'got ""', 'plain decimal'],
    [['--max-tokens', '0x3e8'], '--max-tokens must be a whole number from 1 to 100000000, got "0x3e8"', 'plain digits'],
    [['--max-rounds', '3.0'], 'got "3.0"', 'plain digits'],
    [['--max-rounds', '9'], '--max-rounds must be a whole number from 1 to 8, got "9"', 'for example --max-rounds 8'],
    [['--timeout', '1e3'], 'got "1e3"', 'plain digits'],
  ])('mythos %j Q: exit 2 with a hint, nothing paid', async (flags, message, hint) => {
    const result = await refused([...flags, 'Is water wet?']);
    expect(result.message).toContain(message);
    expect(result.hint).toContain(hint);
  });

  it('a plain decimal cap is taken: --max-cost 5.', async () => {
    const result = await runCli(['--max-cost', '5.', 'Is water wet?'], { env });
    expect(result.code).toBe(0);
    expect(api.requests.length).toBe(2);
  });

  it('--json gets the hint too', async () => {
    const result = await refused(['--json', '--max-cost', 'abc', 'Is water wet?']);
    expect(JSON.parse(result.stdout).error).toEqual({
      message: '--max-cost must be a positive number, got "abc"', hint: expect.stringContaining('for example --max-cost 0.50'), exitCode: 2,
    });
  });
});

describe('MYTHOS_MAX_QUESTION', () => {
  it.each(['abc', '0x10', '12.5'])('%j refuses a question with a hint', async (value) => {
    const result = await refused(['Is water wet?'], { MYTHOS_MAX_QUESTION: value });
    expect(result.message).toBe(`MYTHOS_MAX_QUESTION must be a whole number of characters, got "${value}"`);
    expect(result.hint).toContain('unset it');
  });

  it('does not matter to commands that read no question', async () => {
    for (const args of [['runs'], ['runs', '--json'], ['show', 'last']]) {
      const result = await runCli(args, { env: { ...env, MYTHOS_MAX_QUESTION: 'abc' } });
      expect(result.stderr).not.toContain('MYTHOS_MAX_QUESTION');
      expect(result.code).toBe(args[0] === 'show' ? 2 : 0); // no runs yet: "last" names none
    }
    expect(api.requests.length).toBe(0);
  });
});

describe('option errors read like every other error, in every command', () => {
  it.each([
    [['show', '--bogus', 'last'], "unknown option '--bogus'", 'mythos show takes --json, --quiet, --verbose, --no-color, --full (see mythos show --help)'],
    [['--mode', 'trace', 'show', 'lastt'], "unknown option '--mode'", '--mode is an option for a question, not for mythos show; mythos show takes'],
    [['calibrate', '--max-tokens', '1000'], "unknown option '--max-tokens'", '--max-tokens is an option for a question, not for mythos calibrate; mythos calibrate takes --case, --modes, --out, --model, --max-cost'],
    [['check', '--full', 'x.md'], "unknown option '--full'", 'mythos check takes --mode, --json, --verbose'],
    [['resume', '--max-cots', '1', 'last'], "unknown option '--max-cots'", 'did you mean --max-cost? (see mythos resume --help)'],
    [['--max-cots', '1', 'Is water wet?'], "unknown option '--max-cots'", 'did you mean --max-cost? (see mythos --help)'],
    [['--frobnicate', 'Is water wet?'], "unknown option '--frobnicate'", 'see mythos --help for the options'],
    [['-1 or +1?'], "unknown option '-1 or +1?'", 'a question that starts with a dash goes after --: mythos -- "-1 or +1?"'],
    [['-x', 'Is water wet?'], "unknown option '-x'", 'see mythos --help for the options'],
    [['Is water wet?', '--max-cost'], "option '--max-cost <usd>' argument missing", 'put its value right after it: --max-cost <usd>'],
    [['runs', '--json', '--stream-json'], "unknown option '--stream-json'", 'mythos runs takes'],
    [['check', '--mode', 'turbo', 'x.md'], '--mode must be one of direct, silent, trace, agent; got "turbo"', 'leave it out'],
    [['--json', '--stream-json', 'Is water wet?'], '--json and --stream-json cannot be used together', 'pick one'],
  ])('mythos %j: one mythos: line and a hint', async (args, message, hint) => {
    const result = await refused(args);
    expect(result.message).toBe(message);
    expect(result.hint).toContain(hint);
    expect(result.stderr).not.toContain('error:');
  });

  it('--json gets the error object, hint included, for a command too', async () => {
    const result = await refused(['--json', 'show', '--bogus', 'last']);
    expect(JSON.parse(result.stdout)).toEqual({
      schema_version: 1, runId: null,
      error: { message: "unknown option '--bogus'", hint: expect.stringContaining('mythos show takes --json'), exitCode: 2 },
    });
  });

  it('help is still help', async () => {
    for (const args of [['--help'], ['show', '--help'], ['calibrate', '--help']]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: mythos');
      expect(result.stderr).toBe('');
    }
    expect(api.requests.length).toBe(0);
  });
});
