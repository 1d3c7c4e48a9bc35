/**
 * Words that name a command are that command, always: a mistyped one is exit 2 with the right
 * form and a hint, and never becomes a paid question. `--` makes the rest the question.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type FakeApi } from '../fake-api/index.js';
import { promptOf } from '../helpers/mythos-script.js';
import { useDirectRun, runCli } from '../helpers/run-cli.js';

let api: FakeApi;
let home: string;
let env: NodeJS.ProcessEnv;

useDirectRun((fixture) => ({ api, home, env } = fixture));

/** Runs the CLI and checks the one thing every case here shares: nothing reached the API. */
async function refused(args: string[]) {
  const result = await runCli(args, { env });
  expect(api.requests.length).toBe(0);
  if (!args.includes('--json')) expect(result.stdout).toBe('');
  return result;
}

describe('mistyped commands are never questions', () => {
  it.each([
    [['show', 'lastt'], '"lastt" is not a run id (they look like 20261205-115501-ab12) or "last"', 'usage: mythos show <id|last>'],
    [['residue', 'abc'], '"abc" is not a run id', 'usage: mythos residue <id|last>'],
    [['resume', '../../x'], '"../../x" is not a run id', 'usage: mythos resume <id|last>'],
    [['show'], 'show needs a run id or "last"', 'usage: mythos show <id|last>'],
    [['show', 'me', 'why', 'it', 'broke'], 'show takes one run id or "last"; got "me why it broke"', 'usage: mythos show <id|last>'],
    [['runs', 'abc'], 'runs takes how many runs to list, a whole number from 1; got "abc"', 'usage: mythos runs [n]'],
    [['runs', '0'], 'got "0"', 'usage: mythos runs [n]'],
    [['runs', '-1'], 'got "-1"', 'usage: mythos runs [n]'],
    [['runs', '5', 'more'], 'got "5 more"', 'usage: mythos runs [n]'],
    [['check'], 'check needs a transcript file, or - to read it from stdin', 'usage: mythos check <file|->'],
    [['calibrate', 'sqlite'], 'calibrate takes options only; got "sqlite"', 'pick cases with --case <id> (sqlite-vs-postgres,'],
  ])('mythos %j: exit 2, the right form, and how to ask such a question', async (args, message, hint) => {
    const result = await refused(args);
    expect(result.code).toBe(2);
    const [line, hintLine] = result.stderr.split('\n');
    expect(line).toMatch(/^mythos: /);
    expect(line).toContain(message);
    expect(hintLine).toMatch(/^hint: /);
    expect(hintLine).toContain(hint);
    expect(hintLine).toContain(`to ask a question that starts with "${args[0]}", put -- first: mythos -- ${args[0]} …`);
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('reads a command after options too: `mythos --json show lastt` is still show, and --json gets an error object', async () => {
    const result = await refused(['--json', 'show', 'lastt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"lastt" is not a run id');
    expect(JSON.parse(result.stdout)).toEqual({
      schema_version: 1, runId: null,
      error: { message: expect.stringContaining('"lastt" is not a run id'), hint: expect.stringContaining('usage: mythos show <id|last>'), exitCode: 2 },
    });
  });

  it('a well-formed id that is not there is exit 2, pointing at `mythos runs`', async () => {
    const result = await refused(['resume', '20990101-000000-abcd']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mythos: no run with id 20990101-000000-abcd');
    expect(result.stderr).toContain('hint: list runs with: mythos runs');
  });

  it('`check` on a file that is not there is exit 2 naming it', async () => {
    const result = await refused(['check', 'lastt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mythos: cannot read lastt (ENOENT)');
  });

  it('writes no state for a refused command', async () => {
    await refused(['resume', 'nope']);
    await refused(['resume', '20990101-000000-abcd']);
    await refused(['runs', '0']);
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('-- makes the rest the question', () => {
  it('asks a question that starts with a command word', async () => {
    const result = await runCli(['--', 'show', 'me', 'why', 'the', 'build', 'is', 'slow'], { env });
    expect(result.code).toBe(0);
    expect(api.requests.length).toBe(2); // Prelude and direct Coda
    expect(promptOf(api.requests[0]!)).toContain('show me why the build is slow');
  });

  it('asks a question that starts with a dash, with options before --', async () => {
    const result = await runCli(['--quiet', '--', '-1 or +1?'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(promptOf(api.requests[0]!)).toContain('-1 or +1?');
  });

  it('without --, a question that starts with a dash is an unknown option, and nothing is paid', async () => {
    const result = await refused(['-1 or +1?']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '-1 or +1?'");
  });
});

describe('runs [n]', () => {
  it('lists exactly n runs', async () => {
    for (let i = 0; i < 3; i++) expect((await runCli([`Is water wet, take ${i}?`], { env })).code).toBe(0);
    const two = await runCli(['runs', '2'], { env });
    expect(two.code).toBe(0);
    expect(two.stdout.trim().split('\n')).toHaveLength(2);
    const all = await runCli(['runs', '--json'], { env });
    expect(JSON.parse(all.stdout)).toHaveLength(3);
  });
});

describe('help', () => {
  it('says which words are reserved and how to ask a question that starts with one', async () => {
    const help = await runCli(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mythos -- show me why the build is slow');
    expect(help.stdout).toContain('mythos -- "-1 or +1?"');
    expect(api.requests.length).toBe(0);
  });
});
