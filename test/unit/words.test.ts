/**
 * Text is measured by Unicode word boundaries, so the halting rules hold in any language.
 */
import { describe, expect, it } from 'vitest';
import { contentWords, sameWording, similarity } from '../../src/core/recurrent/similarity.js';
import { meaningfulWords, words } from '../../src/core/recurrent/words.js';

describe('words', () => {
  it('splits Japanese by dictionary words, and leaves its particles out of the meaningful ones', () => {
    const text = 'キャッシュの一斉失効がデータベースへの殺到を引き起こす。';
    expect(words(text)).toEqual(['キャッシュ', 'の', '一斉', '失効', 'が', 'データベース', 'へ', 'の', '殺到', 'を', '引き起こす']);
    expect(meaningfulWords(text)).toEqual(['キャッシュ', '一斉', '失効', 'データベース', '殺到', '引き起こす']);
  });

  it('splits Chinese without spaces into words', () => {
    expect(words('缓存同时失效会导致数据库过载。')).toEqual(['缓', '存', '同时', '失效', '会', '导致', '数据', '库', '过载']);
  });

  it('keeps German and French words whole, accents and apostrophes included', () => {
    expect(words('Gleichzeitig ablaufende Schlüssel überlasten die Datenbank.'))
      .toEqual(['gleichzeitig', 'ablaufende', 'schlüssel', 'überlasten', 'die', 'datenbank']);
    expect(words('La réponse n’est pas évidente')).toEqual(['la', 'réponse', "n'est", 'pas', 'évidente']);
  });

  it('reads Arabic words', () => {
    expect(words('انتهاء صلاحية المفاتيح معًا يضغط على قاعدة البيانات.'))
      .toEqual(['انتهاء', 'صلاحية', 'المفاتيح', 'معًا', 'يضغط', 'على', 'قاعدة', 'البيانات']);
  });

  it('normalises width and case (NFKC), keeps hyphenated compounds, and not a spaced dash', () => {
    expect(words('ＡＢＣ　ﾃｽﾄ')).toEqual(['abc', 'テスト']);
    expect(words("Read-heavy isn't write-heavy; a - b")).toEqual(['read-heavy', "isn't", 'write-heavy', 'a', 'b']);
  });
});

describe('similarity in other languages', () => {
  it('never splits a word inside its letters', () => {
    expect([...contentWords('La réponse évidente')]).toEqual(['la', 'réponse', 'évidente']);
  });

  it('catches an echo in Japanese and tells a different insight apart', () => {
    const first = 'キャッシュの一斉失効がデータベースへの殺到を引き起こす。';
    expect(similarity(first, 'キャッシュの一斉失効が、データベースへの殺到を引き起こす!')).toBe(1);
    expect(sameWording(first, 'キャッシュの一斉失効が、データベースへの殺到を引き起こす!')).toBe(true);
    expect(similarity(first, '書き込みの多い経路ではキャッシュを使わない方がよい。')).toBeLessThan(0.4);
  });

  it('catches an echo in German and Arabic', () => {
    expect(similarity('Gleichzeitig ablaufende Schlüssel überlasten die Datenbank.', 'Die Datenbank: gleichzeitig ablaufende Schlüssel überlasten sie.'))
      .toBeGreaterThanOrEqual(0.8);
    expect(sameWording('Gleichzeitig ablaufende Schlüssel überlasten die Datenbank.', 'Gleichzeitig ablaufende Schlüssel überlasten die Datenbank!')).toBe(true);
    expect(similarity('انتهاء صلاحية المفاتيح معًا يضغط على قاعدة البيانات.', 'انتهاء صلاحية المفاتيح معًا يضغط على قاعدة البيانات!')).toBe(1);
  });
});
