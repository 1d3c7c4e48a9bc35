/**
 * Words as a reader of any language would count them. Every place the engine measures text
 * (concreteness, echo similarity, stance comparison) goes through here, so a Japanese sentence
 * is not one "word" and "réponse" is not split at its accent.
 */

let segmenter: Intl.Segmenter | undefined;

/** Dashes that join a compound ("read-heavy") rather than separate two words. */
const JOINERS = new Set(['-', '\u2010', '\u2011']);

/** Japanese particles (の, が, を …) are single hiragana: grammar, not content. */
const PARTICLE = /^[\u3041-\u309f]$/u;

/**
 * The words of `text`: NFKC-normalised, lower-cased, split by Unicode word boundaries
 * (dictionary-based for Chinese and Japanese), with hyphenated compounds kept whole and a
 * typographic apostrophe read as a plain one ("isn’t" = "isn't").
 */
export function words(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  const normalised = text.normalize('NFKC').toLowerCase().replace(/\u2019/g, "'");
  const out: string[] = [];
  let joinNext = false;
  let lastEnd = -1;
  for (const { segment, index, isWordLike } of segmenter.segment(normalised)) {
    if (isWordLike) {
      if (joinNext && index === lastEnd) out[out.length - 1] += `-${segment}`;
      else out.push(segment);
      lastEnd = index + segment.length;
      joinNext = false;
    } else {
      // A joiner glued to the word before it may join the word after it.
      joinNext = JOINERS.has(segment) && index === lastEnd && out.length > 0;
      if (joinNext) lastEnd = index + segment.length;
    }
  }
  return out;
}

/** Words that carry meaning on their own: everything but lone Japanese particles. */
export function meaningfulWords(text: string): string[] {
  return words(text).filter((word) => !PARTICLE.test(word));
}
