/**
 * Arguments that are not what they look like are refused before anything is paid: numbers that
 * are not plain decimals, and a bad MYTHOS_MAX_QUESTION only where a question is read.
 */
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../fake-api/index.js';
import { mythosResponder, preludeReply } from '../helpers/mythos-script.js';
import { cliEnv, runCli, tempHome } from '../helpers/run-cli.js';

let api: FakeApi;
let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  api = await startFakeApi({ responder: mythosResponder({ prelude: preludeReply({ score: 1 }), coda: { answer: 'Like this.' } }) });
  home = tempHome();
  env = cliEnv(api.url, { MYTHOS_HOME: home });
});
afterEach(async () => api.close());

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
