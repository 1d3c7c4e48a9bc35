import { describe, expect, it } from 'vitest';
import { sameText, textKey } from '../../src/core/format/same-text.js';

describe('sameText: wording, not spelling', () => {
  it.each([
    ['use SQLite', 'Use SQLite.'],
    ['  Use   SQLite ', '**use sqlite**'],
    ['Straße', 'STRASSE'],
    ['ＳＱＬｉｔｅ', 'SQLite'],
    ['isn’t it', "isn't it"],
    ['ΟΔΟΣ', 'οδος'],
    ['SQLiteを使う', 'SQLite を使う。'],
  ])('%j = %j', (a, b) => {
    expect(sameText(a, b)).toBe(true);
  });

  it.each([
    ['use SQLite', 'use PostgreSQL'],
    ['C++', 'C'],
    ['cost: $', 'cost: €'],
    ['?', '—'],
    ['ship it 👍', 'ship it 👎'],
    ['cache', 'no cache'],
  ])('%j ≠ %j', (a, b) => {
    expect(sameText(a, b)).toBe(false);
  });

  it('keys exactly: words in order, then meaningful symbols', () => {
    expect(textKey('Use SQLite.')).toBe('use sqlite');
    expect(textKey('C++ → Rust')).toBe('c rust ++→');
    expect(textKey('  ?! ')).toBe('?!');
    expect(textKey('')).toBe('');
  });
});
