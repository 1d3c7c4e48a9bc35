import { describe, expect, it } from 'vitest';
import { oneRunId, parseRunsLimit, routeCommand } from '../../src/cli/command-words.js';
import { assertBaseUrl } from '../../src/cli/config.js';
import { resolveModel } from '../../src/cli/option-parsers.js';
import { errorOutputOf } from '../../src/cli/report-error.js';
import { withResumeCommand } from '../../src/cli/commands/run-records.js';

const VALUE_OPTIONS = new Set(['--model', '--mode', '--timeout']);

describe('routeCommand', () => {
  it('a first word that names a command, in any case, is that command, its name removed', () => {
    expect(routeCommand(['show', 'lastt'], VALUE_OPTIONS)).toEqual({ command: 'show', args: ['lastt'], words: [], literal: [] });
    expect(routeCommand(['--json', 'runs', '3'], VALUE_OPTIONS)).toMatchObject({ command: 'runs', args: ['--json', '3'] });
    expect(routeCommand(['--model', 'x', 'check', 'a.md'], VALUE_OPTIONS)).toMatchObject({ command: 'check', args: ['--model', 'x', 'a.md'] });
    expect(routeCommand(['SHOW', 'last'], VALUE_OPTIONS)).toMatchObject({ command: 'show', args: ['last'] });
  });

  it('an option value, a later word, or anything after -- is not a command', () => {
    expect(routeCommand(['--model', 'runs', 'why?'], VALUE_OPTIONS)).toEqual({ command: null, args: ['--model', 'runs', 'why?'], words: ['why?'], literal: [] });
    expect(routeCommand(['--model=runs', 'show', 'last'], VALUE_OPTIONS).command).toBe('show');
    expect(routeCommand(['trace', 'show', 'me'], VALUE_OPTIONS).command).toBeNull();
    expect(routeCommand(['Why', 'show', 'me'], VALUE_OPTIONS).command).toBeNull();
  });

  it('splits a question at --: options and keywords before it, the question as it is after it', () => {
    expect(routeCommand(['--', 'show', 'me'], VALUE_OPTIONS)).toEqual({ command: null, args: [], words: [], literal: ['show', 'me'] });
    expect(routeCommand(['--quiet', 'trace', '--', 'deep', 'learning?'], VALUE_OPTIONS)).toEqual({
      command: null, args: ['--quiet', 'trace'], words: ['trace'], literal: ['deep', 'learning?'],
    });
    // The value of an option is not the end of options.
    expect(routeCommand(['--model', '--', 'why?'], VALUE_OPTIONS)).toMatchObject({ args: ['--model', '--', 'why?'], literal: [] });
  });
});

describe('command words', () => {
  it('runs takes a whole number from 1', () => {
    expect(parseRunsLimit([])).toBe(20);
    expect(parseRunsLimit(['3'])).toBe(3);
    for (const bad of [['0'], ['-1'], ['abc'], ['2.5'], ['1', '2']]) expect(() => parseRunsLimit(bad)).toThrow(/runs takes how many runs to list/);
  });

  it('show, residue and resume take one id or last, and the hint says how to ask such a question', () => {
    expect(oneRunId('show', ['last'])).toBe('last');
    expect(oneRunId('resume', ['20261205-115501-ab12'])).toBe('20261205-115501-ab12');
    expect(() => oneRunId('resume', ['20261205-115501-AB12'])).toThrow('"20261205-115501-AB12" is not a run id');
    try {
      oneRunId('residue', ['me', 'why']);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('residue takes one run id or "last"; got "me why"');
      expect((error as { hint: string }).hint).toBe('usage: mythos residue <id|last>; list run ids with: mythos runs; to ask a question that starts with "residue", put -- first: mythos -- residue …');
    }
  });
});

describe('settings checked before a run', () => {
  it('ANTHROPIC_BASE_URL must be http(s) when set; blank counts as unset', () => {
    for (const ok of [undefined, '', '  ', 'http://127.0.0.1:9', 'https://gateway.example/anthropic']) expect(() => assertBaseUrl({ ANTHROPIC_BASE_URL: ok })).not.toThrow();
    for (const bad of ['notaurl', 'ftp://x', 'localhost:8080', 'sk-ant-pasted-key']) {
      expect(() => assertBaseUrl({ ANTHROPIC_BASE_URL: bad })).toThrow('ANTHROPIC_BASE_URL is not an http:// or https:// URL');
    }
  });

  it('a blank MYTHOS_MODEL is the default; a blank --model is refused', () => {
    expect(resolveModel(undefined, { MYTHOS_MODEL: ' ' })).toBe('claude-sonnet-5-5');
    expect(resolveModel(undefined, { MYTHOS_MODEL: ' claude-haiku-4-5 ' })).toBe('claude-haiku-4-5');
    expect(resolveModel('claude-opus-4-5', { MYTHOS_MODEL: 'x' })).toBe('claude-opus-4-5');
    expect(() => resolveModel('  ', {})).toThrow('--model needs a model id');
  });

  it('--json and --stream-json count only before --', () => {
    expect(errorOutputOf(['--json', 'q'])).toBe('json');
    expect(errorOutputOf(['runs', '--stream-json'])).toBe('stream-json');
    expect(errorOutputOf(['--', '--json'])).toBe('text');
  });
});

describe('withResumeCommand', () => {
  it('names the run wherever a hint says to resume', () => {
    expect(withResumeCommand('check ANTHROPIC_BASE_URL and your network, then resume the run', 'R')).toBe('check ANTHROPIC_BASE_URL and your network, then continue with: mythos resume R');
    expect(withResumeCommand('raise --timeout or try again later', 'R')).toBe('raise --timeout or try again later; then continue with: mythos resume R');
    expect(withResumeCommand(undefined, 'R')).toBe('continue with: mythos resume R');
  });
});
