import { describe, expect, it } from 'vitest';
import { AnswerStreamExtractor } from '../../src/core/coda/answer-stream.js';

function feed(chunks: string[]): { out: string[]; extractor: AnswerStreamExtractor } {
  const extractor = new AnswerStreamExtractor();
  return { out: chunks.map((c) => extractor.push(c)), extractor };
}

describe('AnswerStreamExtractor', () => {
  it('decodes the answer string as it arrives, across split escapes', () => {
    const json = JSON.stringify({ answer: 'Line one\nSay "hi" \\ café ✓', load_bearing_assumptions: ['x'] });
    const chunks = json.match(/.{1,3}/gs)!;
    const { out, extractor } = feed(chunks);
    expect(out.join('')).toBe('Line one\nSay "hi" \\ café ✓');
    expect(extractor.streaming).toBe(true);
  });

  it('waits for the opening across chunks and tolerates whitespace', () => {
    const { out } = feed(['{', '\n  "ans', 'wer" :  "', 'Yes', '."}']);
    expect(out).toEqual(['', '', '', 'Yes', '.']);
  });

  it('gives up when the reply does not open with the answer', () => {
    const { out, extractor } = feed(['{"load_bearing', '_assumptions":[],"answer":"late"}']);
    expect(out.join('')).toBe('');
    expect(extractor.streaming).toBe(false);
  });

  it('decodes \\u escapes split between chunks', () => {
    const { out } = feed(['{"answer":"a\\u00', 'e9b"}']);
    expect(out.join('')).toBe('aéb');
  });

  it('never emits half of a surrogate pair, so every piece encodes to valid UTF-8', () => {
    // An emoji escaped as two \u halves split between them, then one sent raw and split mid-pair.
    const { out } = feed(['{"answer":"ok \\ud83d', '\\ude00 and ', '\ud83c', '\udf89!"}']);
    expect(out.join('')).toBe('ok 😀 and 🎉!');
    for (const piece of out) expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece);
  });

  it('still prints a lone high surrogate the reply really ends its answer with', () => {
    const { out } = feed(['{"answer":"x\\ud83d', '"}']);
    expect(out.join('')).toBe('x\ud83d');
  });
});
