/**
 * When two pieces of model text say the same thing as far as wording goes: "use SQLite" and
 * "Use SQLite." are one stance, "Straße" and "STRASSE" one word, a full-width "ＳＱＬｉｔｅ" the
 * same as "SQLite". Used to group and de-duplicate text; whatever is shown keeps its own spelling.
 */
import { words } from '../recurrent/words.js';

/** Symbols that carry meaning (`+`, `→`, `$`, emoji): kept, so "C++" and "C" stay apart. */
const MEANINGFUL_SYMBOL = /[\p{Sm}\p{Sc}\p{So}]/gu;

/**
 * The comparison key of `text`: NFKC-normalised and case-folded, its words (Unicode word
 * boundaries, so languages written without spaces compare too) followed by its meaningful
 * symbols; punctuation, emphasis marks and spacing drop out. Text with neither keys on itself,
 * trimmed, so "?" and "—" do not collapse into one empty key.
 */
export function textKey(text: string): string {
  // Upper then lower case folds what lower case alone leaves apart (ß and SS, ς and σ).
  const folded = text.normalize('NFKC').toUpperCase().toLowerCase();
  const symbols = (folded.match(MEANINGFUL_SYMBOL) ?? []).join('');
  const key = [words(folded).join(' '), symbols].filter(Boolean).join(' ');
  return key || folded.trim();
}

export function sameText(a: string, b: string): boolean {
  return textKey(a) === textKey(b);
}
