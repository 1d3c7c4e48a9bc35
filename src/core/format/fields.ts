/**
 * The field grammar of a transcript's protocol sections: bold labels, the marks the renderer
 * writes in place of model text, and the discard reasons. The renderer writes fields with these
 * and keeps model text from imitating them; `mythos check` reads fields with the same patterns.
 * Plain strings and regular expressions only, like the footers.
 */
import { NO_INSIGHT_PHRASE } from './footers.js';

/**
 * A bold field label, `**Label:**` or `**Label**:`. The label text has no `*` or `:`, so bold
 * prose is not taken for one. Global: use with `matchAll` or `replace`.
 */
export const FIELD_LABEL = /\*\*([^*:\n]{1,40}?)(?::\*\*|\*\*\s*:)/g;

/** Two labels share a line only in the Prelude, and then a ` | ` stands between them. */
export const FIELD_SEPARATOR = '|';

/**
 * An inline code span: a run of backticks that no backslash escapes, anything, and a run of the
 * same length. Global.
 */
export const CODE_SPAN = /(?<=(?:^|[^\\`])(?:\\\\)*)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

/**
 * `text` with the inside of every code span blanked out (same length, so indexes still point
 * into the original): a label written inside backticks is code, not a field.
 */
export function maskCode(text: string): string {
  return text.replace(CODE_SPAN, (span) => ' '.repeat(span.length));
}

/** A field the runtime filled because the step behind it failed: `(failed: <why>)`. */
export function failedMark(why: string): string {
  return `(failed: ${why})`;
}

/** A round that was not kept shows this instead of its insight: `(discarded: <why>)`. */
export function discardedMark(why: string): string {
  return `(discarded: ${why})`;
}

/** A field value that is one of the renderer's marks rather than model text. */
export const MARK_START = /^\((?:failed|discarded)\b/i;
export const FAILED_START = /^\(failed\b/i;

/** Why a round was discarded, as its mark says it. */
export const DISCARD_REASONS = {
  negativeDelta: 'negative delta',
  repeatsCarried: 'repeats the carried finding',
  drift: 'drifted off the question',
  noInsight: NO_INSIGHT_PHRASE,
} as const;

export function repeatsRound(n: number | string): string {
  return `repeats round ${n}`;
}

/** What a field shows when the model left it empty: said plainly, never an empty label. */
export const BLANK_FIELD = '(left blank)';
