import { describe, expect, it } from 'vitest';
import { keywordMode, lastKeywordInMessage, MODE_KEYWORDS, parseInvocation } from '../../src/core/prelude/keywords.js';

const words = (text: string) => text.split(' ');

describe('parseInvocation: leading bare keywords', () => {
  it('strips a leading "trace" and forces trace mode', () => {
    const parsed = parseInvocation(words('trace Should we adopt Conventional Commits?'));
    expect(parsed).toEqual({ question: 'Should we adopt Conventional Commits?', keyword: 'trace' });
    expect(keywordMode(parsed.keyword)).toBe('trace');
  });

  it('maps deep and agent to agent mode, quick to silent mode', () => {
    const deep = parseInvocation(words('deep Should we rewrite the renderer?'));
    expect(deep).toEqual({ question: 'Should we rewrite the renderer?', keyword: 'deep' });
    expect(keywordMode(deep.keyword)).toBe('agent');

    const agent = parseInvocation(words('agent Should we rewrite the renderer?'));
    expect(agent.keyword).toBe('agent');
    expect(keywordMode(agent.keyword)).toBe('agent');

    const quick = parseInvocation(words('quick Pivot or stay?'));
    expect(quick).toEqual({ question: 'Pivot or stay?', keyword: 'quick' });
    expect(keywordMode(quick.keyword)).toBe('silent');
  });

  it('is case-insensitive and reports the keyword in lower case', () => {
    expect(parseInvocation(words('TRACE Why?'))).toEqual({ question: 'Why?', keyword: 'trace' });
    expect(parseInvocation(words('Deep Why?'))).toEqual({ question: 'Why?', keyword: 'deep' });
    expect(parseInvocation(words('qUiCk Why?'))).toEqual({ question: 'Why?', keyword: 'quick' });
  });

  it('leaves a question without a leading keyword untouched', () => {
    expect(parseInvocation(words('How do I structure my CSS?'))).toEqual({
      question: 'How do I structure my CSS?',
      keyword: undefined,
    });
  });

  it('keeps a keyword that appears later in the question as part of the question', () => {
    const parsed = parseInvocation(words('Should I trace every request or go deep on a sample?'));
    expect(parsed.keyword).toBeUndefined();
    expect(parsed.question).toBe('Should I trace every request or go deep on a sample?');

    const after = parseInvocation(words('quick Is a quick fix enough, or do we need a deep rewrite?'));
    expect(after.keyword).toBe('quick');
    expect(after.question).toBe('Is a quick fix enough, or do we need a deep rewrite?');
  });

  it('lets the last of several leading keywords win and strips them all', () => {
    expect(parseInvocation(words('trace deep Pivot or stay?'))).toEqual({ question: 'Pivot or stay?', keyword: 'deep' });
    expect(parseInvocation(words('deep quick Pivot or stay?'))).toEqual({ question: 'Pivot or stay?', keyword: 'quick' });
    expect(keywordMode(parseInvocation(words('agent TRACE Pivot or stay?')).keyword)).toBe('trace');
  });

  it('only takes bare words: punctuation or a suffix makes it part of the question', () => {
    expect(parseInvocation(words('trace: why?'))).toEqual({ question: 'trace: why?', keyword: undefined });
    expect(parseInvocation(words('tracer why?'))).toEqual({ question: 'tracer why?', keyword: undefined });
    expect(parseInvocation(words('deep-dive into caching'))).toEqual({ question: 'deep-dive into caching', keyword: undefined });
  });

  it('returns an empty question when only keywords were given', () => {
    expect(parseInvocation(['trace'])).toEqual({ question: '', keyword: 'trace' });
    expect(parseInvocation([])).toEqual({ question: '', keyword: undefined });
  });
});

describe('lastKeywordInMessage: last-wins in a wider message', () => {
  it('finds the last bare keyword anywhere in the message', () => {
    expect(lastKeywordInMessage('please go deep on this, actually no, keep it quick')).toBe('quick');
    expect(lastKeywordInMessage('quick question, but trace it')).toBe('trace');
    expect(lastKeywordInMessage('Trace. Then AGENT!')).toBe('agent');
  });

  it('returns undefined when no bare keyword appears', () => {
    expect(lastKeywordInMessage('How do I structure my CSS?')).toBeUndefined();
    expect(lastKeywordInMessage('a tracer, deeper and quicker')).toBeUndefined();
    expect(lastKeywordInMessage('')).toBeUndefined();
  });

  it('reads keywords beside full-width punctuation in a Japanese or Chinese message', () => {
    expect(lastKeywordInMessage('この質問をtrace、それからdeepで')).toBe('deep');
    expect(lastKeywordInMessage('请用「quick」回答')).toBe('quick');
  });

  it('ignores hyphenated compounds', () => {
    expect(lastKeywordInMessage('trace the deep-dive')).toBe('trace');
  });
});

describe('keywordMode', () => {
  it('maps every keyword and undefined', () => {
    expect(MODE_KEYWORDS).toEqual({ trace: 'trace', deep: 'agent', agent: 'agent', quick: 'silent' });
    expect(keywordMode(undefined)).toBeUndefined();
  });
});
