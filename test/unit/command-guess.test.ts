import { describe, expect, it } from 'vitest';
import { closeCommands, editDistance, screenQuestion } from '../../src/cli/command-guess.js';

describe('closeCommands: typos of a command name, not English words', () => {
  it.each([
    ['shwo', ['show']], ['sho', ['show']], ['shoow', ['show']], ['rnus', ['runs']], ['rus', ['runs']],
    ['resum', ['resume']], ['resmue', ['resume']], ['residu', ['residue']], ['res', ['residue', 'resume']],
    ['chekc', ['check']], ['chck', ['check']], ['calibrat', ['calibrate']], ['calbrate', ['calibrate']], ['CALIB', ['calibrate']],
  ])('%s → %j', (word, names) => expect(closeCommands(word)).toEqual(names));

  it.each(['how', 'slow', 'shop', 'snow', 'shot', 'shoe', 'guns', 'rust', 'ruin', 'checks', 'cheek', 'chuck', 'shows', 'calibrated', 'reuse', 'result', 'so', 'is'])(
    '%s is nothing', (word) => expect(closeCommands(word)).toEqual([]),
  );

  it('counts a swap of two neighbours as one edit', () => {
    expect(editDistance('shwo', 'show')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('screenQuestion', () => {
  it('leaves long lines, empty lines and everything after -- alone', () => {
    expect(screenQuestion(['shwo', 'me', 'the', 'money'], [])).toEqual({ kind: 'question' });
    expect(screenQuestion(['trace'], [])).toEqual({ kind: 'question' });
    expect(screenQuestion([], ['shwo', 'last'])).toEqual({ kind: 'question' });
    expect(screenQuestion(['trace'], ['show', 'last'])).toEqual({ kind: 'question' });
  });

  it('answers a bare help or version', () => {
    expect(screenQuestion(['help'], [])).toEqual({ kind: 'help', command: null });
    expect(screenQuestion(['Help', 'Resume'], [])).toEqual({ kind: 'help', command: 'resume' });
    expect(screenQuestion(['version'], [])).toEqual({ kind: 'version' });
    expect(() => screenQuestion(['version', 'two'], [])).toThrow('"version" is not a mythos command');
  });
});
