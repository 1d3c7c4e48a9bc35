/**
 * Lexical similarity between two insight sentences, used to spot echoes (a round that says
 * again what an earlier round said) without asking the model, which tends to agree with itself.
 * It is the cheap pre-filter: only a repeat in the same words and order is settled here; a
 * near-repeat or a paraphrase is left to the judge. Words come from
 * Unicode segmentation, so any language is measured; the stopwords and negations are English.
 */
import { meaningfulWords } from './words.js';

const STOPWORDS = new Set(
  ('a an the and or but if then than so of to in on at by for with from into over under as is are was were be been being ' +
    'it its this that these those there their they them we our you your i my me he she his her not no do does did ' +
    'has have had will would should could can may might must just also more most very much such which who whom what ' +
    'when where why how all any each both few other some own same too only about because while').split(' '),
);

/** An English plural: stripped so "caches" and "cache" match. Other scripts are left whole. */
const ENGLISH_PLURAL = /^[a-z][a-z0-9'-]+[a-rt-z0-9'-]s$/;

/** Lower-cased content words in order, with a light plural strip, so "caches" and "cache" match. */
function contentWordList(text: string): string[] {
  return meaningfulWords(text)
    .filter((word) => !STOPWORDS.has(word))
    .map((word) => (ENGLISH_PLURAL.test(word) ? word.slice(0, -1) : word));
}

export function contentWords(text: string): Set<string> {
  return new Set(contentWordList(text));
}

const NEGATIONS = new Set([
  'not', 'no', 'never', 'cannot', "can't", "won't", "don't", "doesn't", "isn't", "aren't", "shouldn't", 'without', 'neither', 'nor',
]);

/** Odd or even count of negations: "adopt it" and "do not adopt it" share words but not meaning. */
function polarity(text: string): number {
  return meaningfulWords(text).filter((word) => NEGATIONS.has(word)).length % 2;
}

/**
 * Sørensen–Dice over content words: 1 for the same words, 0 for none shared. A sentence that
 * negates the other is halved, so a reversal never passes for an echo.
 */
export function similarity(a: string, b: string): number {
  const left = contentWords(a);
  const right = contentWords(b);
  if (left.size === 0 && right.size === 0) return a.trim() === b.trim() ? 1 : 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  const dice = (2 * shared) / (left.size + right.size);
  return polarity(a) === polarity(b) ? dice : dice / 2;
}

/**
 * The same content words in the same order, with the same polarity: a repeat code can call
 * without a judge. Overlap alone cannot: "SQLite over PostgreSQL" and its reverse share every
 * word, and a negation in a language the lists do not know ("не нужен") is just one more word.
 */
export function sameWording(a: string, b: string): boolean {
  const left = contentWordList(a);
  const right = contentWordList(b);
  if (left.length === 0 || left.length !== right.length || polarity(a) !== polarity(b)) return false;
  return left.every((word, i) => word === right[i]);
}

/** The first earlier text worded the same as `text`, or -1. */
export function sameWordingIndex(text: string, earlier: readonly string[]): number {
  return earlier.findIndex((other) => sameWording(text, other));
}

/** The highest similarity of `text` to any earlier text, and which one (index) it was. */
export function closestMatch(text: string, earlier: readonly string[]): { score: number; index: number } {
  let best = { score: 0, index: -1 };
  earlier.forEach((other, index) => {
    const score = similarity(text, other);
    if (score > best.score) best = { score, index };
  });
  return best;
}
