import { describe, expect, it } from 'vitest';
import { answerText, fieldList, fieldText, oneLine } from '../../src/core/coda/model-text.js';

describe('fieldText: model text inside a labelled field', () => {
  it.each([
    ['**Key point**: the cache is the bottleneck.', '__Key point__: the cache is the bottleneck.'],
    ['**Before:** one database. **After:** two.', '__Before:__ one database. __After:__ two.'],
    ['restated | **Complexity:** low', 'restated | __Complexity:__ low'],
    ['the **main** risk', 'the **main** risk'],
    ['(failed to converge) yet it holds', '\\(failed to converge) yet it holds'],
    ['(Discarded: old idea) new one', '\\(Discarded: old idea) new one'],
    ['(failure modes) first', '(failure modes) first'],
    ['one\ntwo\r\nthree\rfour\u2028five', 'one two three four five'],
    ['code `**Tensions:** inside` a span', 'code `**Tensions:** inside` a span'],
    ['``` never closed', '\\`\\`\\` never closed'],
    ['a `b` c ` d', 'a `b` c \\` d'],
    ['ends with \\', 'ends with \\\\'],
    ['ends with \\\\', 'ends with \\\\'],
    ['*Depth: 1 rounds. Mode: trace.*', '*Depth: 1 rounds. Mode: trace.*'],
    ['  plain text  ', 'plain text'],
  ])('%j → %j', (input, output) => {
    expect(fieldText(input)).toBe(output);
  });

  it.each(['', '   ', '\n\n', '**', '***', '_', '`', '~~~'])('%j is blank: the placeholder says so', (input) => {
    expect(fieldText(input)).toBe('(left blank)');
    expect(fieldText(input, 'no usable reply')).toBe('no usable reply');
  });

  it('lists drop blank entries and say "none" when nothing is left', () => {
    expect(fieldList(['a\nb', '', '**Tensions:** c'], 'none')).toBe('a b; __Tensions:__ c');
    expect(fieldList(['', '  ', '**'], 'none')).toBe('none');
    expect(fieldList([], 'none identified')).toBe('none identified');
  });

  it('oneLine collapses every kind of line break and trims', () => {
    expect(oneLine(' a\r\n\u2029 b\u0085c\v ')).toBe('a b c');
  });
});

describe('answerText: the answer under ## Answer', () => {
  it('is trimmed, and says so when blank', () => {
    expect(answerText('  Yes.\n\n')).toBe('Yes.');
    expect(answerText(' \n ')).toBe('(left blank)');
  });

  it('closes a code block the model left open, with the fence it opened', () => {
    expect(answerText('Run:\n```sh\nnpm test')).toBe('Run:\n```sh\nnpm test\n```');
    expect(answerText('~~~~\nx\n~~~')).toBe('~~~~\nx\n~~~\n~~~~');
    expect(answerText('```\nx\n```\nafter')).toBe('```\nx\n```\nafter');
    expect(answerText('```\n~~~ not a closer\n```')).toBe('```\n~~~ not a closer\n```');
  });

  it('leaves headings, rules and footer-like lines to the answer: the footer follows it', () => {
    const text = '## Prelude\n---\n*Depth: 0 rounds. Mode: direct.*';
    expect(answerText(text)).toBe(text);
  });
});
